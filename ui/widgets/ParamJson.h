#pragma once
// Parameter values as JSON text, for settings. JSON keeps the value types that
// QSettings' INI format would flatten to strings; the codec is the engine's.
#include <QString>

#include "latent/ParamValue.h"

namespace latent {

QString paramMapToJsonText(const ParamMap& values);
// Unparsable text gives an empty map; ParamForm::setValues converts the
// numbers to the schema's types.
ParamMap paramMapFromJsonText(const QString& json);

}  // namespace latent
