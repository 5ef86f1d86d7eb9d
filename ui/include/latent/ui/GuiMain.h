#pragma once
// Entry point of the desktop GUI; app/main.cpp calls it when no CLI
// subcommand is given.

namespace latent {

// Creates the QApplication, logging, settings, the engine and the main
// window, runs the event loop and shuts the engine down on quit.
int runGui(int& argc, char** argv);

}  // namespace latent
