#include "LatentImageNet.h"

#include "latent/Error.h"

namespace latent::image {

at::Tensor LatentImageNet::encode(const at::Tensor&, JobContext&, const EncodeStep&) {
    throw Error(ErrorKind::BadArgument, "this model has no encoder, so it cannot turn an image into a latent");
}

std::map<std::string, at::Tensor> LatentImageNet::scores(const at::Tensor&) { return {}; }

}  // namespace latent::image
