#pragma once
// What streams back from a job: immutable values, safe to pass between threads.
// Bulk data sits behind shared_ptr<const ...> so copies are cheap.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace latent {

// What the model thought at one position: its most likely tokens.
struct TokenAlternatives {
    std::vector<std::int32_t> ids;   // most likely first
    std::vector<float> logprobs;     // natural log, one per id
    std::vector<std::string> texts;  // printable form of each ("␣the", "↵")
};

struct TextDelta {
    std::string text;  // complete UTF-8; may be empty while a character is still partial
    std::vector<std::int32_t> tokenIds;
    std::vector<float> logprobs;  // one per token id; empty when not computed
    std::vector<TokenAlternatives> alternatives;  // one per token id; empty when not computed
};

struct ImageFrame {
    int width = 0;
    int height = 0;
    std::shared_ptr<const std::vector<std::uint8_t>> rgba;  // width*height*4 bytes, row-major
    int index = 0;       // position in a batch
    int step = 0;        // refinement step, 1-based
    int totalSteps = 1;
    bool final = true;
    // The latent the image was decoded from (latent-space models); null otherwise.
    std::shared_ptr<const std::vector<float>> latent;
    // Per-image scores shown beside it, e.g. {"bits_per_dim", 3.1} or {"elbo_nats", -240}.
    std::map<std::string, double> scores;
};

// Time travels with every block and frame, as libobs carries it
// (obs_source_audio, obs_source_frame): a receiver places each one without
// counting what came before, and a dropped or merged one loses nothing else.
struct AudioBlock {
    int sampleRateHz = 0;
    int channels = 0;
    std::int64_t startFrame = 0;    // the stream position of its first sample frame
    std::int64_t totalFrames = -1;  // of the whole stream, when known (-1: not yet)
    std::shared_ptr<const std::vector<float>> samples;  // interleaved, channels per frame
    bool final = false;             // the stream's last block
    // Latent models: the latent the stream was decoded from (before the
    // job's per-dimension edit), on one block, null on the others: the first
    // when it is known up front, else the final one. latentFrames ×
    // latentDims values, frame after frame (one frame for a one-shot's global
    // latent; a path at the model's latent rate for RAVE-style models).
    std::shared_ptr<const std::vector<float>> latent;
    int latentDims = 0;

    std::int64_t frameCount() const {
        return samples && channels > 0 ? std::int64_t(samples->size()) / channels : 0;
    }
    std::int64_t startMs() const { return sampleRateHz > 0 ? startFrame * 1000 / sampleRateHz : 0; }
};

struct VideoFrame {
    // image.index is the presentation index (0-based); the frame has no other.
    ImageFrame image;
    int fpsNum = 0;  // rational frame rate, e.g. 30000/1001
    int fpsDen = 1;
    std::int64_t totalFrames = -1;  // of the clip, when known

    double fps() const { return fpsDen > 0 ? double(fpsNum) / fpsDen : 0.0; }
    // The presentation time of this frame, from its index and the rate.
    std::int64_t timestampUs() const {
        return fpsNum > 0 ? std::int64_t(image.index) * 1'000'000 * fpsDen / fpsNum : 0;
    }
};

struct Metric {
    std::string name;  // "loss", "bits_per_dim", "tokens_per_s"
    double value = 0;
    std::int64_t step = 0;
};

// Persisted in logs: start at 1, never renumber.
enum class LogLevel { Invalid = 0, Debug = 1, Info = 2, Warning = 3, Error = 4 };

struct LogLine {
    LogLevel level = LogLevel::Info;
    std::string message;
};

using Chunk = std::variant<TextDelta, ImageFrame, AudioBlock, VideoFrame, Metric, LogLine>;
using ChunkPtr = std::shared_ptr<const Chunk>;

// Builds an ImageFrame, copying `rgba` (width*height*4 bytes).
ImageFrame makeImageFrame(int width, int height, std::vector<std::uint8_t> rgba, int index = 0);
// Shared vectors for chunks are made here, in the engine library: a control
// block made inside a plugin would point into its code, which may be unloaded
// before the last chunk holding it is gone.
std::shared_ptr<const std::vector<float>> makeSharedFloats(std::vector<float> values);

}  // namespace latent
