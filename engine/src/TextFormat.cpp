#include "latent/TextFormat.h"

#include <cmath>
#include <cstdint>
#include <sstream>

namespace latent {

std::string formatFixed(double value, int digits) {
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(digits);
    s << value;
    return s.str();
}

std::string formatDuration(double seconds) {
    const auto s = std::int64_t(std::llround(seconds));
    if (s < 120) return std::to_string(s) + " s";
    if (s < 7200) return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
    return std::to_string(s / 3600) + " h " + std::to_string((s % 3600) / 60) + " min";
}

}  // namespace latent
