#pragma once
// Sound files with provenance (DESIGN §5): the provenance JSON goes into the
// format's own comment tag (WAV LIST/INFO ICMT, FLAC and Ogg Vorbis comments),
// where sox and ffprobe show it, and opening the file restores the settings.
#include <filesystem>
#include <optional>

#include "latent/Provenance.h"
#include "latent/media/AudioFile.h"

namespace latent {

// Sets provenance.latent to an audio model's reported latent when the file
// should carry it: a sampled or decoded sound's (re-renderable from the file),
// up to 4096 values; a transfer's path comes from its input, so it stays out.
void attachAudioLatent(Provenance& provenance, const std::vector<float>& latent);

// The tags an export carries: comment (provenance JSON), software, title.
AudioTags provenanceTags(const Provenance& provenance);

// writeAudioFile with provenanceTags(provenance).
void exportAudio(const std::filesystem::path& path, const AudioClip& clip, AudioFileFormat format,
                 const Provenance& provenance, const AtomicWriteOptions& options = {});

// The provenance in a sound file's comment tag; nullopt when it has none (a
// file not made by Latent Studio). Throws Error(Format) for a comment that
// claims to be provenance but is malformed, and as probeAudioFile does.
std::optional<Provenance> readAudioProvenance(const std::filesystem::path& path);
std::optional<Provenance> provenanceFromTags(const AudioTags& tags);

}  // namespace latent
