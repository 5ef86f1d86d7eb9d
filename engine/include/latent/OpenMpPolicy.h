#pragma once
// OpenMP (libgomp) reads OMP_WAIT_POLICY once, when it is loaded. Its
// default spin-waiting makes LibTorch's intra-op threads burn the cores
// between parallel regions: on 2 cores a slider render took twice as long
// beside a busy GUI thread, and training ran 8-10x slower beside another
// process. TorchRuntimeLoader sets PASSIVE before it loads LibTorch, but Qt
// builds load libgomp before main() runs (Qt6Core -> libb2 -> libgomp), so
// there the setting would come too late.

namespace latent {

// When libgomp is already loaded and OMP_WAIT_POLICY is unset, sets it to
// PASSIVE and re-executes this program with the same arguments (once: the
// new process finds the variable set). Returns when nothing had to be done,
// or when re-executing failed (the program then runs with spin-waiting).
// Call first thing in main(), before any thread starts.
void ensurePassiveOpenMp(char** argv);

}  // namespace latent
