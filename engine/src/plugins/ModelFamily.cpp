#include "latent/plugin/ModelFamily.h"

#include "latent/Error.h"

namespace latent {

void ModelFamily::train(JobContext&) {
    throw Error(ErrorKind::BadArgument, "this model family cannot train new models");
}

}  // namespace latent
