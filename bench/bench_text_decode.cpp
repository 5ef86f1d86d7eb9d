// Text decoding and prompt prefill at batch 1: a GPT-2-small-shaped model
// (124M parameters, random weights) and the bundled text models, beside
// (a) PyTorch eager on the same weights with a KV cache and the same thread
// count (bench/peers/text_decode_peer.py under /usr/bin/python3) and (b) the
// memory-bandwidth bound: weight bytes read per token over the read
// bandwidth measured in this run. Prints; asserts nothing.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <fstream>
#include <vector>

#include <ATen/Parallel.h>
#include <immintrin.h>
#include <c10/core/InferenceMode.h>
#include <torch/torch.h>

#include "BenchStats.h"
#include "GptModel.h"
#include "PythonPeer.h"
#include "TextGenerator.h"
#include "latent/OpenMpPolicy.h"
#include "latent/plugin/torch/SafetensorsTorch.h"
#include "latent/text/BpeTokenizer.h"
#include "latent/text/BpeTrainer.h"

namespace fs = std::filesystem;
using namespace latent;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPrompt = 128;
constexpr int kDecode = 64;

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// Sum of n floats with four AVX2 accumulators: fast enough that memory, not
// the adds, limits it (a plain loop reads at half the real bandwidth here).
__attribute__((target("avx2"))) float sumAvx2(const float* p, std::int64_t n) {
    __m256 a = _mm256_setzero_ps(), b = a, c = a, d = a;
    std::int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        a = _mm256_add_ps(a, _mm256_loadu_ps(p + i));
        b = _mm256_add_ps(b, _mm256_loadu_ps(p + i + 8));
        c = _mm256_add_ps(c, _mm256_loadu_ps(p + i + 16));
        d = _mm256_add_ps(d, _mm256_loadu_ps(p + i + 24));
    }
    float t[8];
    _mm256_storeu_ps(t, _mm256_add_ps(_mm256_add_ps(a, b), _mm256_add_ps(c, d)));
    float s = t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7];
    for (; i < n; ++i) s += p[i];
    return s;
}

// Read bandwidth with `threads` plain threads (no pool overhead) over a
// buffer far larger than the caches: the best the machine gives.
double readBandwidthGBs(int threads) {
    const std::int64_t n = std::int64_t(256) << 20;  // 1 GiB of floats
    std::vector<float> buf(std::size_t(n), 1.0f);
    double best = 0;
    for (int r = 0; r < 5; ++r) {
        std::vector<float> partial(std::size_t(threads), 0.0f);
        const auto t0 = Clock::now();
        std::vector<std::thread> pool;
        for (int k = 0; k < threads; ++k)
            pool.emplace_back([&, k] { partial[std::size_t(k)] = sumAvx2(buf.data() + k * (n / threads), n / threads); });
        for (auto& t : pool) t.join();
        const double secs = seconds(t0, Clock::now());
        volatile float sink = partial[0];
        (void)sink;
        best = std::max(best, double(n) * sizeof(float) / secs / 1e9);
    }
    return best;
}

// A GPT-2-small-shaped folder with random weights (and a small tokenizer).
fs::path makeGpt2Small(const fs::path& dir) {
    fs::create_directories(dir);
    const std::int64_t V = 50257, d = 768, L = 12, P = 1024;
    nlohmann::json cfg = {{"model_type", "gpt2"}, {"vocab_size", V}, {"n_embd", d}, {"n_layer", L},
                          {"n_head", 12},        {"n_positions", P}, {"eos_token_id", 256}, {"bos_token_id", 256}};
    std::ofstream(dir / "config.json") << cfg.dump(2);
    torch::manual_seed(0);
    std::map<std::string, at::Tensor> w;
    w["wte.weight"] = at::randn({V, d}) * 0.02;
    w["wpe.weight"] = at::randn({P, d}) * 0.01;
    for (std::int64_t i = 0; i < L; ++i) {
        const std::string p = "h." + std::to_string(i) + ".";
        w[p + "ln_1.weight"] = at::ones({d});
        w[p + "ln_1.bias"] = at::zeros({d});
        w[p + "attn.c_attn.weight"] = at::randn({d, 3 * d}) * 0.02;
        w[p + "attn.c_attn.bias"] = at::zeros({3 * d});
        w[p + "attn.c_proj.weight"] = at::randn({d, d}) * 0.02;
        w[p + "attn.c_proj.bias"] = at::zeros({d});
        w[p + "ln_2.weight"] = at::ones({d});
        w[p + "ln_2.bias"] = at::zeros({d});
        w[p + "mlp.c_fc.weight"] = at::randn({d, 4 * d}) * 0.02;
        w[p + "mlp.c_fc.bias"] = at::zeros({4 * d});
        w[p + "mlp.c_proj.weight"] = at::randn({4 * d, d}) * 0.02;
        w[p + "mlp.c_proj.bias"] = at::zeros({d});
    }
    w["ln_f.weight"] = at::ones({d});
    w["ln_f.bias"] = at::zeros({d});
    saveSafetensorsTensors(dir / "model.safetensors", w);
    text::BpeTrainer trainer({257, 2, {"<|endoftext|>"}});
    text::BpeTokenizer(trainer.train()).saveGpt2Files(dir / "vocab.json", dir / "merges.txt");
    return dir;
}

// Bytes of weights one decode step reads: every matrix and vector except the
// embedding and position tables, of which it reads one row (the output layer
// reads a tied embedding whole).
double bytesPerToken(const gpt::GptModel& m) {
    double b = double(m.memoryBytes());
    if (m.weights.positionEmbedding.defined()) b -= double(m.weights.positionEmbedding.numel()) * 4;
    if (m.q8) {
        if (m.q8->lmHead.defined()) b -= double(m.q8->tokenEmbedding.bytes());
    } else if (!m.weights.lmHead.is_same(m.weights.tokenEmbedding)) {
        b -= double(m.weights.tokenEmbedding.numel()) * 4;
    }
    return b;
}

struct Result {
    double prefill = 0, decode = 0, ttftMs = 0;
    std::vector<std::int32_t> greedy;  // the last run's decoded tokens
};

Result measure(const std::shared_ptr<const gpt::GptModel>& m) {
    std::vector<std::int32_t> prompt(kPrompt);
    for (int i = 0; i < kPrompt; ++i) prompt[std::size_t(i)] = (i * 7919) % std::int32_t(m->tokenizer->vocabSize());
    std::vector<double> prefill, decode, ttft;
    std::vector<std::int32_t> tokens;
    for (int r = 0; r < 3; ++r) {
        tokens.clear();
        gpt::TextGenerator gen(m, kPrompt + kDecode + 1);
        const auto t0 = Clock::now();
        gen.prefill(prompt);
        const auto& first = gen.logits();
        std::int32_t tok = std::int32_t(std::max_element(first.begin(), first.end()) - first.begin());
        const auto t1 = Clock::now();
        for (int i = 0; i < kDecode; ++i) {
            gen.step(tok);
            tokens.push_back(tok);
            const auto& l = gen.logits();
            tok = std::int32_t(std::max_element(l.begin(), l.end()) - l.begin());
        }
        const auto t2 = Clock::now();
        prefill.push_back(kPrompt / seconds(t0, t1));
        ttft.push_back(seconds(t0, t1) * 1000);
        decode.push_back(kDecode / seconds(t1, t2));
    }
    return {bench::stats(prefill).median, bench::stats(decode).median, bench::stats(ttft).median, tokens};
}

}  // namespace

int main(int argc, char** argv) {
    // The app's OpenMP setting (threads sleep between parallel regions), for
    // this process and the PyTorch peer it starts: under libgomp's default
    // spin-waiting OpenBLAS's own threads fight the spinning ones on 2 cores
    // and both sides' BLAS calls run several times slower.
    ensurePassiveOpenMp(argv);
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    at::set_num_threads(threads);
    c10::InferenceMode inference;
    std::printf("threads %d, prompt %d tokens, decode %d tokens, batch 1, float32 (and int8 weights)\n", threads,
                kPrompt, kDecode);
    const double bw = readBandwidthGBs(threads);
    std::printf("read bandwidth (this run): %.1f GB/s\n\n", bw);

    const fs::path tmp = fs::temp_directory_path() / "latent-bench-gpt2-small";
    std::vector<std::pair<std::string, fs::path>> models = {{"gpt2-124M (random)", makeGpt2Small(tmp)}};
    for (const char* bundled : {"prose-gpt", "python-gpt"}) {
        const fs::path p = fs::path(LATENT_SOURCE_DIR) / "resources/models" / bundled;
        if (fs::exists(p / "config.json")) models.emplace_back(bundled, p);
    }
    std::printf("%-20s %10s %10s %9s | %10s %10s | %9s %7s | %9s %9s\n", "model", "decode/s", "prefill/s", "TTFT ms",
                "torch dec", "torch pre", "bound/s", "% bound", "vs torch", "prefill x");
    std::vector<std::string> agreement;
    for (const auto& [name, folder] : models) {
        const auto m = gpt::GptModel::loadFolder(folder, "cpu");
        const Result ours = measure(m);
        const double bound = bw * 1e9 / bytesPerToken(*m);
        // The same weights in 8 bits, against the same float32 PyTorch peer.
        const auto q = gpt::GptModel::loadFolder(folder, "cpu", "int8");
        const Result q8 = measure(q);
        const double q8Bound = bw * 1e9 / bytesPerToken(*q);
        std::size_t same = 0;
        while (same < q8.greedy.size() && q8.greedy[same] == ours.greedy[same]) ++same;
        agreement.push_back(name + ": int8 greedy decode follows float32 for " + std::to_string(same) + " of " +
                            std::to_string(ours.greedy.size()) + " tokens; weights " +
                            std::to_string(m->memoryBytes() >> 20) + " MB -> " + std::to_string(q->memoryBytes() >> 20) +
                            " MB");
        std::string error;
        const auto peer = bench::runPythonPeer("/usr/bin/python3 " + std::string(LATENT_SOURCE_DIR) +
                                                   "/bench/peers/text_decode_peer.py " + bench::shellQuote(folder) +
                                                   " " + std::to_string(threads) + " " + std::to_string(kPrompt) + " " +
                                                   std::to_string(kDecode),
                                               &error);
        const double td = peer ? peer->value("decode_tokens_per_s", 0.0) : 0;
        const double tp = peer ? peer->value("prefill_tokens_per_s", 0.0) : 0;
        std::printf("%-20s %10.1f %10.1f %9.1f | %10.1f %10.1f | %9.1f %6.0f%% | %8.2fx %8.2fx\n", name.c_str(),
                    ours.decode, ours.prefill, ours.ttftMs, td, tp, bound, 100.0 * ours.decode / bound,
                    td > 0 ? ours.decode / td : 0.0, tp > 0 ? ours.prefill / tp : 0.0);
        std::printf("%-20s %10.1f %10.1f %9.1f | %10.1f %10.1f | %9.1f %6.0f%% | %8.2fx %8.2fx\n",
                    (name + " int8").c_str(), q8.decode, q8.prefill, q8.ttftMs, td, tp, q8Bound,
                    100.0 * q8.decode / q8Bound, td > 0 ? q8.decode / td : 0.0, tp > 0 ? q8.prefill / tp : 0.0);
        if (!peer) std::printf("  (PyTorch peer unavailable: %s)\n", error.c_str());
    }
    std::printf("\nint8 rows: 8-bit weights (blocks of 32, one float32 scale each), float32 activations, beside the "
                "float32 PyTorch peer\n");
    for (const auto& line : agreement) std::printf("  %s\n", line.c_str());
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("\npeak RSS of this process: %.0f MB (the 124M model is 498 MB of float32 weights)\n",
                double(ru.ru_maxrss) / 1024.0);
    fs::remove_all(tmp);
    return 0;
}
