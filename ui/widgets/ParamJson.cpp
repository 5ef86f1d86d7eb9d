#include "widgets/ParamJson.h"

#include <nlohmann/json.hpp>

#include "latent/formats/Json.h"

namespace latent {

QString paramMapToJsonText(const ParamMap& values) {
    return QString::fromStdString(dumpJson(paramMapToJson(values)));
}

ParamMap paramMapFromJsonText(const QString& json) {
    try {
        return paramMapFromJson(parseJson(json.toStdString(), "saved parameters"));
    } catch (const Error&) {
        return {};  // settings from another version, or damaged: the defaults stand
    }
}

}  // namespace latent
