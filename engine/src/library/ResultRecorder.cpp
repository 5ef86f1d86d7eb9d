#include "library/ResultRecorder.h"

#include <spdlog/spdlog.h>

#include "latent/Error.h"
#include "latent/TaskInfo.h"
#include "latent/library/ResultLibrary.h"
#include "latent/media/AudioExport.h"
#include "latent/media/ImageExport.h"
#include "latent/media/PngWriter.h"
#include "latent/media/Thumbnail.h"
#include "latent/media/WaveformThumbnail.h"

namespace latent {
namespace {

constexpr std::size_t kOutcomesKept = 500;
constexpr int kThumbnailSide = 160;
// Longer sounds are kept up to this length (a two-hour transfer would hold
// gigabytes in memory); the log says so.
constexpr double kMaxRecordedAudioS = 20 * 60;

}  // namespace

std::optional<NewResult> makeNewResult(const JobInfo& job, JobState state, const Provenance& provenance,
                                       const JobOutput& output, double durationMs) {
    const auto& images = output.images;
    const auto& text = output.text;
    NewResult r;
    r.modality = taskModality(provenance.task.empty() ? job.task : provenance.task);
    r.modelId = provenance.modelId.empty() ? job.modelId : provenance.modelId;
    r.task = provenance.task.empty() ? job.task : provenance.task;
    r.label = job.label;
    r.state = state == JobState::Cancelled ? "cancelled" : "finished";
    r.prompt = provenance.prompt;
    r.seed = provenance.seed;
    r.durationMs = durationMs;
    Provenance common = provenance;
    common.latent.clear();
    r.provenanceJson = provenanceToJson(common);
    for (const auto& [index, frame] : images) {
        if (!frame.rgba || frame.width <= 0 || frame.height <= 0) continue;
        // Each image's file carries its own latent, as an export does, so
        // opening it (or "Use settings") restores exactly that image.
        Provenance own = provenance;
        if (frame.latent) own.latent = *frame.latent;
        r.outputs.push_back({"image", ".png", encodePng(frame, provenancePngTexts(own, frame.width, frame.height))});
        if (r.thumbnailPng.empty()) r.thumbnailPng = encodePng(thumbnailFrame(frame, kThumbnailSide));
    }
    if (!text.empty()) r.outputs.push_back({"text", ".txt", text});
    if (output.audio.frames() > 0) {
        Provenance own = provenance;
        attachAudioLatent(own, output.audioLatent);
        r.outputs.push_back({"audio", ".flac", encodeAudio(output.audio, AudioFileFormat::Flac24, provenanceTags(own))});
        if (r.thumbnailPng.empty()) r.thumbnailPng = encodePng(waveformThumbnail(output.audio, kThumbnailSide, kThumbnailSide * 5 / 8));
    }
    if (r.outputs.empty()) return std::nullopt;
    if (r.modality != "image" && r.modality != "text" && r.modality != "audio")
        r.modality = !images.empty() ? "image" : !text.empty() ? "text" : "audio";
    return r;
}

ResultRecorder::ResultRecorder(std::filesystem::path folder, std::uint64_t capBytes) : m_cap(capBytes) {
    try {
        m_library = std::make_shared<ResultLibrary>(folder);
    } catch (const Error& e) {
        m_problem = e.what();
        spdlog::warn("results are not recorded: {}", m_problem);
    }
    m_writer = std::thread([this] { writerLoop(); });
}

ResultRecorder::~ResultRecorder() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    m_writer.join();
}

std::string ResultRecorder::problem() const {
    std::lock_guard lock(m_mutex);
    return m_problem;
}

void ResultRecorder::setCap(std::uint64_t capBytes) {
    std::lock_guard lock(m_mutex);
    m_cap = capBytes;
}

void ResultRecorder::addListener(Listener listener) {
    std::lock_guard lock(m_mutex);
    m_listeners.push_back(std::move(listener));
}

std::optional<RecordedResult> ResultRecorder::wait(JobId job, std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, timeout, [&] { return m_expected.count(job) == 0; });
    auto it = m_outcomes.find(job);
    if (it == m_outcomes.end()) return std::nullopt;
    return it->second;
}

void ResultRecorder::flush() {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [&] { return m_queue.empty() && !m_writing; });
}

void ResultRecorder::onStarted(const JobInfo& job) {
    if (!job.record) return;
    std::lock_guard lock(m_mutex);
    m_collecting[job.id].startedAt = std::chrono::steady_clock::now();
}

void ResultRecorder::onChunk(const JobInfo& job, const ChunkPtr& chunk) {
    if (!job.record || !chunk) return;
    std::lock_guard lock(m_mutex);
    auto it = m_collecting.find(job.id);
    if (it == m_collecting.end()) return;
    JobOutput& out = it->second.output;
    if (const auto* image = std::get_if<ImageFrame>(chunk.get())) {
        // Refinement steps replace each other; the last one is the result.
        out.images[image->index] = *image;
    } else if (const auto* text = std::get_if<TextDelta>(chunk.get())) {
        out.text += text->text;
    } else if (const auto* audio = std::get_if<AudioBlock>(chunk.get())) {
        if (audio->latent) out.audioLatent = *audio->latent;
        const auto cap = std::int64_t(kMaxRecordedAudioS * std::max(audio->sampleRateHz, 1));
        if (!placeAudioBlock(out.audio, *audio, cap) && audio->startFrame + audio->frameCount() > cap &&
            audio->startFrame < cap)
            spdlog::warn("job {}: only the first {} minutes of its sound go into the library", job.id,
                         kMaxRecordedAudioS / 60);
    }
}

void ResultRecorder::onFinished(const JobInfo& job, JobState state, const Provenance& provenance) {
    if (!job.record) return;
    std::lock_guard lock(m_mutex);
    auto it = m_collecting.find(job.id);
    if (it == m_collecting.end()) return;  // never started: nothing to keep
    Collected output = std::move(it->second);
    m_collecting.erase(it);
    if (output.output.empty()) return;
    m_expected[job.id] = true;
    m_queue.push_back({job, state, provenance, std::move(output)});
    m_cv.notify_all();
}

void ResultRecorder::onError(const JobInfo& job, ErrorKind, const std::string&) {
    std::lock_guard lock(m_mutex);
    m_collecting.erase(job.id);
}

RecordedResult ResultRecorder::write(const Pending& p) {
    RecordedResult outcome;
    outcome.job = p.job.id;
    if (!m_library) {
        outcome.error = "not kept in the library: recording is off (" + problem() + ")";
        return outcome;
    }
    try {
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - p.output.startedAt).count();
        auto result = makeNewResult(p.job, p.state, p.provenance, p.output.output, ms);
        if (!result) return outcome;
        outcome.resultId = m_library->add(*result);
        std::uint64_t cap;
        {
            std::lock_guard lock(m_mutex);
            cap = m_cap;
        }
        if (cap > 0) {
            if (const auto pruned = m_library->prune(cap); pruned > 0)
                spdlog::info("results library over its cap: removed the {} oldest result(s)", pruned);
        }
    } catch (const std::exception& e) {
        outcome.error = std::string("not kept in the library: ") + e.what();
        spdlog::warn("job {} ({}): {}", p.job.id, p.job.label, outcome.error);
    }
    return outcome;
}

void ResultRecorder::publish(const RecordedResult& outcome) {
    std::vector<Listener> listeners;
    {
        std::lock_guard lock(m_mutex);
        m_outcomes[outcome.job] = outcome;
        while (m_outcomes.size() > kOutcomesKept) m_outcomes.erase(m_outcomes.begin());
        m_expected.erase(outcome.job);
        listeners = m_listeners;
    }
    m_cv.notify_all();
    for (const auto& l : listeners) l(outcome);
}

void ResultRecorder::writerLoop() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_cv.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty()) return;  // stopping, and everything is written
        Pending next = std::move(m_queue.front());
        m_queue.pop_front();
        m_writing = true;
        lock.unlock();
        const RecordedResult outcome = write(next);
        publish(outcome);
        lock.lock();
        m_writing = false;
        m_cv.notify_all();
    }
}

}  // namespace latent
