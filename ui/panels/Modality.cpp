#include "panels/Modality.h"

#include <QCoreApplication>

namespace latent {

QString modalityKey(Modality modality) {
    switch (modality) {
        case Modality::Text: return QStringLiteral("text");
        case Modality::Image: return QStringLiteral("image");
        case Modality::Audio: return QStringLiteral("audio");
        case Modality::Video: return QStringLiteral("video");
        default: return {};
    }
}

QString modalityTitle(Modality modality) {
    switch (modality) {
        case Modality::Text: return QCoreApplication::translate("latent::Modality", "Text");
        case Modality::Image: return QCoreApplication::translate("latent::Modality", "Image");
        case Modality::Audio: return QCoreApplication::translate("latent::Modality", "Audio");
        case Modality::Video: return QCoreApplication::translate("latent::Modality", "Video");
        default: return {};
    }
}

}  // namespace latent
