#pragma once
// Signal features the sound-model evaluation uses: fundamental frequency
// (pitch accuracy of generated notes) and spectral centroid (brightness).
// Plain functions on mono float samples; no allocation beyond a few buffers.

namespace latent::audio {

// The fundamental frequency in Hz of a pitched sound, or 0 when it has no
// clear pitch (noise, silence, a drum) or is too short.
//
// Analyses the middle half of the signal (past the attack, before the
// release): YIN (de Cheveigné & Kawahara 2002) finds the period, a spectral
// check corrects octave errors (a weak fundamental, a nearly-periodic looped
// sample), then the period is refined on the signal low-passed at 2.5 f0 by
// the normalised cross-correlation peaks at 1, 2, 4, … periods (up to 25 ms)
// with parabolic interpolation. Low-passing keeps a piano's stretched upper
// partials from pulling the estimate sharp; the normalised correlation keeps
// a decaying level from biasing it. Searches 40 Hz to min(2.5 kHz, rate / 4).
// Within ±10 cents on FluidR3 piano, flute and strings notes of MIDI 36–84 at
// 16 kHz and above (the tests check), where the SoundFont itself is in tune.
double estimateF0(const float* x, int n, int sampleRateHz);

// The spectral centroid in Hz: the magnitude-weighted mean frequency of the
// magnitude spectrum summed over Hann-windowed frames (~64 ms, half overlap).
// 0 for silence.
double spectralCentroid(const float* x, int n, int sampleRateHz);

// Cents from `reference` Hz to `hz` (1200 · log2(hz / reference)).
double centsBetween(double hz, double reference);

// The equal-tempered frequency of a MIDI note (A4 = 69 = 440 Hz).
double midiToHz(double midiPitch);

}  // namespace latent::audio
