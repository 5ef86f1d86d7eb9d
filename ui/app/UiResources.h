#pragma once

namespace latent {

// Registers the icons compiled into the static ui library (a static
// library's resource initializer is otherwise dropped by the linker).
void initUiResources();

}  // namespace latent
