#pragma once
// Drives training of a latent-space image family, as a job: data, batches,
// progress and metrics, a sample grid every N steps, checkpoint and resume,
// then the finished package (weights, slider directions, sample grid, model
// card). `latent-studio train image --family vae|gan|flow` ends up here.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "ImageDataset.h"
#include "TrainableImageNet.h"
#include "latent/JobContext.h"
#include "latent/TaskInfo.h"

namespace latent::image {

struct TrainSettings {
    std::string data;             // "fashion-mnist", "emoji" or a folder
    std::filesystem::path out;    // the package folder to write
    std::string id;               // package id (default: the folder name)
    std::string name;             // display name
    std::int64_t steps = 0;
    std::int64_t batch = 64;
    double lr = 1e-3;
    int size = 0;                 // 0 = the data's native size
    std::int64_t limit = 0;       // training images (0 = all)
    std::int64_t evalLimit = 0;   // test images for the metric (0 = all)
    std::int64_t sampleEvery = 500;
    std::int64_t checkpointEvery = 500;
    bool resume = true;
    std::uint64_t seed = 0;
    std::string device = "cpu";
};

// The parameters every image family's train task takes; `familyParams` are appended.
TaskInfo imageTrainTask(std::int64_t defaultSteps, double defaultLr, std::vector<ParamSpec> familyParams);
TrainSettings readTrainSettings(JobContext& ctx, const std::string& family);

struct FamilyTrainer {
    std::string family;       // plugin id, e.g. "image-vae"
    std::string kind;         // "VAE", "GAN", "Glow": for names and the model card
    std::string description;  // one sentence for model.json
    // Builds the trainable net for this data (shape, classes) from the job's params.
    std::function<std::unique_ptr<TrainableImageNet>(JobContext&, const TrainSettings&, const ImageDataset&)> create;
};

// Runs the whole training job. Throws Error on bad data or settings; a
// cancelled job keeps its last checkpoint, so the next run resumes there.
void runImageTraining(JobContext& ctx, const FamilyTrainer& family);

// Where checkpoints and progress grids go: "<out>.training/".
std::filesystem::path trainingDir(const std::filesystem::path& out);

}  // namespace latent::image
