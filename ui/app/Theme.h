#pragma once
#include <QString>

namespace latent {

// Stored by name in the settings; numbered from 1 per the convention.
enum class Theme { Invalid = 0, Light = 1, Dark = 2 };

QString themeName(Theme theme);           // "light", "dark"
Theme themeFromName(const QString& name);  // Light for anything unknown

// Fusion style with a palette per theme, so both look the same everywhere.
void applyTheme(Theme theme);

}  // namespace latent
