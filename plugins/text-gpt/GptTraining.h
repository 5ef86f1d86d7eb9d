#pragma once
// `latent-studio train text`: trains a GPT-2-architecture model and its
// byte-level BPE tokenizer on text files, with validation loss, checkpoints
// and resume, and writes a Hugging Face-style model package with a card.
#include "latent/JobContext.h"
#include "latent/TaskInfo.h"

namespace latent::gpt {

TaskInfo textTrainTask();
void runTextTraining(JobContext& ctx);

}  // namespace latent::gpt
