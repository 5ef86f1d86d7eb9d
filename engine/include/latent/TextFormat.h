#pragma once
// Number and duration text for progress lines and model cards.
#include <string>

namespace latent {

// 3.14159, 2 -> "3.14"
std::string formatFixed(double value, int digits);
// 75 -> "75 s", 600 -> "10 min 0 s", 9000 -> "2 h 30 min"
std::string formatDuration(double seconds);

}  // namespace latent
