#pragma once
#include <QString>

#include <array>

namespace latent {

// A panel's kind of output. Stored by name in the settings; numbered from 1
// per the convention.
enum class Modality { Invalid = 0, Text = 1, Image = 2, Audio = 3, Video = 4 };

inline constexpr std::array<Modality, 4> kAllModalities{Modality::Text, Modality::Image, Modality::Audio,
                                                        Modality::Video};

// "text", "image", …: also the prefix of the modality's task ids.
QString modalityKey(Modality modality);
// "Text", "Image", …
QString modalityTitle(Modality modality);

}  // namespace latent
