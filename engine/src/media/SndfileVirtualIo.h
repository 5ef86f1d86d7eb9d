#pragma once
// The bytes libsndfile reads or writes, through its SF_VIRTUAL_IO callbacks:
// a read-only view of bytes in memory (decodeAudio), a read-only file
// (readAudioFile, AudioFileReader: pread on a descriptor opened here), or a
// growable buffer that encodeAudio fills and writeAudioFile hands to
// writeFileAtomic. Every kind can also be read at an offset without moving
// libsndfile's position (SndfileWavInfo reads WAV tags that way).
//
// libsndfile keeps a pointer to the object: it is neither copied nor moved.
#include <sndfile.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace latent {

class SndfileVirtualIo {
public:
    // Reads `bytes`, which must outlive this object.
    explicit SndfileVirtualIo(std::string_view bytes);
    // Opens `path` for reading. Throws Error(Io) naming the file when it is
    // missing, unreadable or not a regular file (a folder, a pipe).
    explicit SndfileVirtualIo(const std::filesystem::path& path);
    // An empty buffer for writing.
    SndfileVirtualIo();
    ~SndfileVirtualIo();
    SndfileVirtualIo(const SndfileVirtualIo&) = delete;
    SndfileVirtualIo& operator=(const SndfileVirtualIo&) = delete;

    SF_VIRTUAL_IO* callbacks();
    void* userData() { return this; }

    std::int64_t size() const;
    // Copies up to `count` bytes at `offset` into `out`; returns how many.
    std::size_t readAt(std::int64_t offset, void* out, std::size_t count) const;
    // The written bytes (writing buffer only); leaves the buffer empty.
    std::string takeBytes();

private:
    enum class Kind { Memory, File, Buffer };

    static sf_count_t getFileLength(void* self);
    static sf_count_t seek(sf_count_t offset, int whence, void* self);
    static sf_count_t read(void* out, sf_count_t count, void* self);
    static sf_count_t write(const void* in, sf_count_t count, void* self);
    static sf_count_t tell(void* self);

    Kind m_kind;
    std::string_view m_view;  // Memory
    int m_fd = -1;            // File
    std::int64_t m_fileSize = 0;
    std::string m_buffer;     // Buffer
    std::int64_t m_position = 0;
    SF_VIRTUAL_IO m_callbacks{};
};

}  // namespace latent
