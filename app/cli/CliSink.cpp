#include "cli/CliSink.h"

#include <limits>
#include <cstdio>

namespace latent::cli {

void CliSink::onStarted(const JobInfo& job) {
    if (m_showProgress) std::fprintf(stderr, "started %s on %s (seed %llu)\n", job.label.c_str(), job.device.c_str(),
                                     static_cast<unsigned long long>(job.seed));
}

void CliSink::onProgress(const JobInfo&, const Progress& p) {
    if (!m_showProgress) return;
    if (p.total > 0)
        std::fprintf(stderr, "[%3d%%] %lld/%lld%s%s%s\n", int(p.fraction() * 100), static_cast<long long>(p.done),
                     static_cast<long long>(p.total),
                     p.etaMs >= 0 ? (" ETA " + std::to_string(p.etaMs / 1000.0).substr(0, 4) + " s").c_str() : "",
                     p.message.empty() ? "" : " ", p.message.c_str());
    else if (!p.message.empty())
        std::fprintf(stderr, "%s\n", p.message.c_str());
}

void CliSink::onChunk(const JobInfo&, const ChunkPtr& chunk) {
    std::lock_guard lock(mutex);
    if (const auto* f = std::get_if<ImageFrame>(chunk.get())) images[f->index] = *f;
    else if (const auto* t = std::get_if<TextDelta>(chunk.get())) text += t->text;
    else if (const auto* a = std::get_if<AudioBlock>(chunk.get())) addAudio(*a);
    else if (const auto* l = std::get_if<LogLine>(chunk.get()); l && m_showProgress)
        std::fprintf(stderr, "%s\n", l->message.c_str());
}

void CliSink::addAudio(const AudioBlock& block) {
    if (block.latent) {
        audioLatent = *block.latent;
        audioLatentDims = block.latentDims;
    }
    placeAudioBlock(audio, block, std::numeric_limits<std::int64_t>::max());
}

void CliSink::onFinished(const JobInfo&, JobState s, const Provenance& p) {
    std::lock_guard lock(mutex);
    state = s;
    provenance = p;
}

void CliSink::onError(const JobInfo&, ErrorKind kind, const std::string& message) {
    std::lock_guard lock(mutex);
    state = JobState::Failed;
    errorKind = kind;
    error = message;
}

}  // namespace latent::cli
