#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "latent/JobInputs.h"
#include "latent/ParamValue.h"

namespace latent {

class JobContext;
class ResultSink;

// A job body run instead of a model: engine chores, training, tests.
using JobFunction = std::function<void(JobContext&)>;

struct JobRequest {
    std::string label;     // shown in the queue; defaults to "<model> · <task>"
    std::string modelId;   // model package id (ignored when `work` is set)
    // A family's model-less task instead of a model's: "train" (with the
    // family's trainTask() parameters), e.g. family "image-vae".
    std::string family;
    std::string task;      // e.g. "image.sample"; empty: the model's first task
    ParamMap params;
    JobInputs inputs;
    std::optional<std::uint64_t> seed;  // empty: the engine draws one and records it
    std::string device;    // "" = the engine's default device
    int priority = 0;      // higher runs first; equal priorities run in order
    // Interactive lane (e.g. "image-panel/sliders"): a newer job replaces a
    // queued one on the same lane and marks a running one stale.
    std::string lane;
    // Keep the output in the results library (when the engine has one). Jobs
    // on a lane, training and `work` bodies are never recorded.
    bool record = true;
    std::shared_ptr<ResultSink> sink;  // gets this job's events, besides the engine's sinks
    JobFunction work;
};

}  // namespace latent
