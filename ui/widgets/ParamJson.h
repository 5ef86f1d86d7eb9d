#pragma once
// Parameter values as JSON text, for settings. JSON keeps the value types that
// QSettings' INI format would flatten to strings.
#include <QString>

#include "latent/ParamValue.h"

namespace latent {

QString paramMapToJson(const ParamMap& values);
// Unparsable text gives an empty map. Numbers come back as double unless
// integral; ParamForm::setValues converts them to the schema's types.
ParamMap paramMapFromJson(const QString& json);

}  // namespace latent
