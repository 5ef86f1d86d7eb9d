// latent-studio: the desktop app, or with a subcommand the headless CLI.
#include "cli/CliMain.h"
#include "latent/OpenMpPolicy.h"

#if LATENT_HAVE_UI
#include "latent/ui/GuiMain.h"
#endif

#include <cstdio>

int main(int argc, char** argv) {
    latent::ensurePassiveOpenMp(argv);
    if (latent::cli::wantsCli(argc, argv)) return latent::cli::runCli(argc, argv);
#if LATENT_HAVE_UI
    return latent::runGui(argc, argv);
#else
    std::fprintf(stderr,
                 "latent-studio was built without its desktop UI (LATENT_BUILD_UI=OFF).\n"
                 "Run `latent-studio --help` for the headless commands.\n");
    return latent::cli::BadArguments;
#endif
}
