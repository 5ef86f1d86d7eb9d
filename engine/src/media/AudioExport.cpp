#include "latent/media/AudioExport.h"

namespace latent {

void attachAudioLatent(Provenance& p, const std::vector<float>& latent) {
    constexpr std::size_t kMaxTaggedLatent = 4096;
    const bool fromInput = p.task == "audio.transfer" || p.task == "audio.encode";
    p.latent = !fromInput && latent.size() <= kMaxTaggedLatent ? latent : std::vector<float>{};
}

AudioTags provenanceTags(const Provenance& p) {
    AudioTags tags;
    tags["comment"] = provenanceToJson(p);
    tags["software"] = "Latent Studio " + p.appVersion;
    std::string title = p.prompt.empty() ? p.modelId : p.prompt;
    if (title.size() > 200) title = title.substr(0, 200);
    if (!title.empty()) tags["title"] = title;
    return tags;
}

void exportAudio(const std::filesystem::path& path, const AudioClip& clip, AudioFileFormat format,
                 const Provenance& provenance, const AtomicWriteOptions& options) {
    writeAudioFile(path, clip, format, provenanceTags(provenance), options);
}

std::optional<Provenance> provenanceFromTags(const AudioTags& tags) {
    const auto it = tags.find("comment");
    // Our comments are provenance JSON objects; anything else is someone's note.
    if (it == tags.end() || it->second.empty() || it->second.front() != '{' ||
        it->second.find("\"app_version\"") == std::string::npos)
        return std::nullopt;
    return provenanceFromJson(it->second);
}

std::optional<Provenance> readAudioProvenance(const std::filesystem::path& path) {
    return provenanceFromTags(probeAudioFile(path).tags);
}

}  // namespace latent
