#include "app/UiResources.h"

#include <QtGlobal>

#include <mutex>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initUiQrc() { Q_INIT_RESOURCE(ui); }

namespace latent {

void initUiResources() {
    static std::once_flag once;
    std::call_once(once, initUiQrc);
}

}  // namespace latent
