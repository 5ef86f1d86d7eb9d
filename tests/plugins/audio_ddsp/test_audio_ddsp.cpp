// audio-ddsp: tiny randomly initialised packages written by the real
// writeDdspPackage (vae and vq bottlenecks) must decode as the eager PyTorch
// re-implementation in tests/reference/ddsp_reference.py does (run by Debian's
// python3-torch on the same weights.safetensors) within 1e-4: through the
// engine's tasks, through generateSound, and part by part (controls, harmonic
// bank, filtered noise). The noise is not passed across: both sides draw it
// from a CPU generator seeded with the job's seed, so the check runs the real
// code path. Then seeds through the engine, the tasks' errors, and a tiny
// training job end to end.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include "CodePrior.h"
#include "DdspConfig.h"
#include "DdspEvaluation.h"
#include "DdspGenerator.h"
#include "DdspNet.h"
#include "DdspPackage.h"
#include "DdspSettings.h"
#include "HarmonicNoiseSynth.h"
#include "ImageFamilyTestSupport.h"
#include "LogMel.h"
#include "TrainingData.h"
#include "latent/Engine.h"
#include "latent/Error.h"
#include "latent/ModelPackage.h"
#include "latent/PackageFolder.h"
#include "latent/plugin/torch/ModuleWeights.h"
#include "latent/plugin/torch/SafetensorsTorch.h"

using namespace latent;
using namespace latent::ddsp;
using latent::test::maxDiff;
using latent::test::readTensors;
namespace fs = std::filesystem;

namespace {

constexpr const char* kFamily = "audio-ddsp";
constexpr double kTolerance = 1e-4;
const std::vector<std::string> kClasses = {"kick", "snare", "Acoustic Grand Piano"};

DdspConfig tinyConfig(const std::string& bottleneck) {
    DdspConfig c;  // 16 kHz, one-second clips, hop 160, 40 harmonics, 48 noise bands
    c.hidden = 24;
    c.melBands = 16;
    c.classEmbedding = 6;
    c.classNames = kClasses;
    c.pitched = {false, false, true};
    c.bottleneck = bottleneck;
    c.latentDim = 4;
    c.codebookSize = 32;
    c.codeDim = 8;
    c.priorWidth = 32;
    c.priorLayers = 2;
    c.priorHeads = 4;
    return c;
}

// A randomly initialised package, written as the trainer writes one.
void writeRandomPackage(const fs::path& home, const std::string& id, const std::string& bottleneck,
                        std::uint64_t seed) {
    const DdspConfig c = tinyConfig(bottleneck);
    torch::manual_seed(seed);
    DdspNet net(c);
    {
        // Fresh weights leave the noise bands at exp_sigmoid(x - 4) ~ 1e-4,
        // below what a 1e-4 comparison sees: lift them to ~0.3.
        torch::NoGradGuard noGrad;
        net->named_parameters()["decoder.8.bias"].narrow(0, 1 + c.harmonics, c.noiseBands).add_(4.0);
    }
    CodePrior prior{nullptr};
    if (c.isVq()) prior = CodePrior(c);
    net->eval();
    if (prior) prior->eval();
    DdspSettings s;
    s.out = packageOutputFolder((home / id).string(), kFamily);
    s.id = id;
    s.name = "tiny " + id;
    s.data = "none (random weights)";
    s.bottleneck = bottleneck;
    s.latentDim = c.latentDim;
    s.hidden = c.hidden;
    TrainingData train, test;
    Evaluation eval;
    eval.trainLatents = at::randn({32, c.latentDim});
    eval.centroids = at::rand({32}) * 4000;
    test::FakeJobContext ctx;
    writeDdspPackage(ctx, net, prior ? &prior : nullptr, train, test, eval, s, 0, 0, 0.5);
}

// As DdspFamily::load reads a package.
struct Loaded {
    DdspConfig config;
    DdspNet net{nullptr};
    CodePrior prior{nullptr};
};

Loaded loadPackage(const fs::path& dir) {
    const ModelPackage p = readModelManifest(dir / "model.json");
    Loaded l;
    l.config = DdspConfig::fromJson(p.config, (dir / "model.json").string());
    std::map<std::string, at::Tensor> net, prior;
    for (const auto& [name, t] : readTensors(dir / "weights.safetensors")) {
        if (name.rfind("net.", 0) == 0) net[name.substr(4)] = t;
        else if (name.rfind("prior.", 0) == 0) prior[name.substr(6)] = t;
        else ADD_FAILURE() << "unexpected tensor " << name;
    }
    l.net = DdspNet(l.config);
    loadModuleWeights(*l.net, net, "weights.safetensors");
    l.net->eval();
    if (l.config.isVq()) {
        l.prior = CodePrior(l.config);
        loadModuleWeights(*l.prior, prior, "weights.safetensors");
        l.prior->eval();
    } else {
        EXPECT_TRUE(prior.empty());
    }
    return l;
}

at::Tensor tensorOf(const std::vector<float>& v) {
    return at::from_blob(const_cast<float*>(v.data()), {1, std::int64_t(v.size())}, at::kFloat).clone();
}

std::vector<float> decayingTone(double hz, int rate, int n) {
    std::vector<float> x(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const double t = double(i) / rate;
        x[std::size_t(i)] = float(0.6 * std::exp(-4.0 * t) * (std::sin(2 * M_PI * hz * t) + 0.3 * std::sin(6 * M_PI * hz * t)));
    }
    return x;
}

void writeF32(const fs::path& file, const std::vector<float>& v) {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * sizeof(float)));
}

// The bundled one-shot model (resources/models), when this checkout has it.
const char* const kBundled = "oneshots-vq";
fs::path bundledPackage() { return fs::path(LATENT_SOURCE_DIR) / "resources" / "models" / kBundled; }

// The packages every test reads, in one model folder.
test::TempDir g_home;
test::TempDir g_refDir;

class DdspPackages : public ::testing::Environment {
public:
    void SetUp() override {
        writeRandomPackage(g_home.path(), "tiny-vae", "vae", 3);
        writeRandomPackage(g_home.path(), "tiny-vq", "vq", 4);
        // The bundled sound model, checked against the reference as well.
        if (fs::is_directory(bundledPackage()))
            fs::copy(bundledPackage(), g_home.path() / kBundled, fs::copy_options::recursive);
    }
};
[[maybe_unused]] ::testing::Environment* const g_packages = ::testing::AddGlobalTestEnvironment(new DdspPackages);

// One job of the parity table.
struct Case {
    std::string name, package, task;
    int cls = 0, pitch = 60, velocity = 100;
    std::uint64_t seed = 1;
    double temperature = 1.0;
    int topK = 0;
    double gain = 0.5;  // keeps the random models' sound inside [-1, 1]
    std::vector<float> slider;  // decode: the given latent
};

std::vector<float> pattern(int n, double phase) {
    std::vector<float> v(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) v[std::size_t(i)] = float(0.9 * std::sin(1.7 * i + phase));
    return v;
}

const std::vector<Case>& parityCases() {
    static const std::vector<Case> cases = [] {
        const int vaeSlider = tinyConfig("vae").sliderDim(), vqSlider = tinyConfig("vq").sliderDim();
        std::vector<Case> c;
        c.push_back({"vae-decode-note", "tiny-vae", "audio.decode", 2, 64, 100, 11, 1.0, 0, 0.5, pattern(vaeSlider, 0.1)});
        c.push_back({"vae-decode-drum", "tiny-vae", "audio.decode", 0, 60, 90, 12, 1.0, 0, 0.5, pattern(vaeSlider, 1.3)});
        c.push_back({"vae-sample", "tiny-vae", "audio.sample", 1, 60, 127, 13, 0.8, 0, 0.5, {}});
        c.push_back({"vae-transfer", "tiny-vae", "audio.transfer", 2, 55, 70, 14, 1.0, 0, 0.5, {}});
        c.push_back({"vq-decode-note", "tiny-vq", "audio.decode", 2, 60, 100, 21, 1.0, 0, 0.5, pattern(vqSlider, 0.7)});
        c.push_back({"vq-sample-drum", "tiny-vq", "audio.sample", 0, 60, 40, 22, 1.0, 8, 0.5, {}});
        c.push_back({"vq-sample-greedy", "tiny-vq", "audio.sample", 2, 72, 1, 23, 0.0, 0, 0.5, {}});
        if (fs::is_directory(bundledPackage())) {
            const ModelPackage p = readModelManifest(bundledPackage() / "model.json");
            const DdspConfig bc = DdspConfig::fromJson(p.config, p.id);
            // A snare and a piano note, sampled from the prior and decoded from a given latent.
            c.push_back({"bundled-sample-drum", kBundled, "audio.sample", 1, 60, 110, 31, 1.0, 0, 1.0, {}});
            c.push_back({"bundled-decode-note", kBundled, "audio.decode", int(bc.numClasses()) - 1, 64, 100, 32, 1.0,
                         0, 1.0, pattern(bc.sliderDim(), 0.4)});
        }
        return c;
    }();
    return cases;
}

constexpr std::uint64_t kSynthSeed = 31;

// The synthesiser alone on controls at full scale: a pitch sweep and a high
// note, harmonics up to 0.04 each, noise bands up to 1.
std::map<std::string, at::Tensor> synthControls(const DdspConfig& c) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(std::uint64_t(77));
    const std::int64_t f = c.frames();
    const at::Tensor sweep = at::linspace(80.0, 400.0, f, at::kFloat);
    const at::Tensor f0 = at::stack({sweep, at::full({f}, 1000.0f, at::kFloat)});
    return {{"f0", f0},
            {"harmonics", at::rand({2, c.harmonics, f}, gen, at::kFloat) * 0.04},
            {"noise_bands", at::rand({2, c.noiseBands, f}, gen, at::kFloat)}};
}

struct Reference {
    fs::path dir;
    std::string error;
};

// Runs ddsp_reference.py once, on the packages and the cases above.
const Reference& reference() {
    static const Reference ref = [] {
        Reference r;
        r.dir = g_refDir.path() / "out";
        const fs::path input = g_refDir.path() / "input.f32";
        writeF32(input, decayingTone(220.0, 16000, 16000));
        const fs::path controls = g_refDir.path() / "controls.safetensors";
        saveSafetensorsTensors(controls, synthControls(tinyConfig("vae")), {});
        nlohmann::json cases = nlohmann::json::array();
        for (const Case& k : parityCases()) {
            nlohmann::json j = {{"name", k.name},       {"package", (g_home.path() / k.package).string()},
                                {"task", k.task},       {"class", k.cls},
                                {"pitch", k.pitch},     {"velocity", k.velocity},
                                {"seed", k.seed},       {"temperature", k.temperature},
                                {"top_k", k.topK},      {"gain", k.gain}};
            if (!k.slider.empty()) j["slider"] = k.slider;
            if (k.task == "audio.transfer") j["input"] = input.string();
            cases.push_back(j);
        }
        const nlohmann::json request = {
            {"threads", 1},
            {"cases", cases},
            {"synth", {{{"name", "synth"}, {"package", (g_home.path() / "tiny-vae").string()},
                        {"controls", controls.string()}, {"seed", kSynthSeed}}}}};
        const fs::path requestFile = g_refDir.path() / "request.json";
        std::ofstream(requestFile) << request.dump(1);
        const std::string cmd = std::string(LATENT_REFERENCE_PYTHON) + " " + LATENT_SOURCE_DIR +
                                "/tests/reference/ddsp_reference.py " + requestFile.string() + " " + r.dir.string();
        if (std::system(cmd.c_str()) != 0) r.error = "ddsp_reference.py needs Debian's python3-torch: " + cmd;
        return r;
    }();
    return ref;
}

struct DdspEngine : ::testing::Test {
    std::shared_ptr<test::RecordingSink> sink = std::make_shared<test::RecordingSink>();
    std::unique_ptr<Engine> engine;

    void SetUp() override {
        EngineConfig c;
        c.discoverCuda = false;
        c.threads = 2;
        c.pluginDirs = {LATENT_PLUGIN_DIR};
        c.modelDirs = {g_home.path()};
        engine = std::make_unique<Engine>(c);
        engine->addSink(sink);
    }

    test::RecordingSink::Ended run(JobRequest r, JobId* jobId = nullptr,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
        const JobId job = engine->submit(std::move(r));
        if (jobId) *jobId = job;
        return sink->waitEnd(job, timeout);
    }

    test::RecordingSink::Ended sound(const std::string& id, const std::string& task, ParamMap params,
                                     std::uint64_t seed, JobInputs inputs = {}, JobId* jobId = nullptr) {
        JobRequest r;
        r.modelId = id;
        r.task = task;
        r.params = std::move(params);
        r.inputs = std::move(inputs);
        r.seed = seed;
        return run(std::move(r), jobId);
    }

    test::RecordingSink::Ended train(ParamMap params, JobId* jobId = nullptr) {
        JobRequest r;
        r.family = kFamily;
        r.task = "train";
        r.params = std::move(params);
        r.seed = 3;
        return run(std::move(r), jobId, std::chrono::seconds(300));
    }

    std::vector<AudioBlock> blocks(JobId job) {
        std::lock_guard lock(sink->m_mutex);
        std::vector<AudioBlock> out;
        for (const auto& c : sink->chunks[job])
            if (const auto* b = std::get_if<AudioBlock>(c.get())) out.push_back(*b);
        return out;
    }

    // The one block a one-shot job emits.
    AudioBlock clip(JobId job) {
        const auto bs = blocks(job);
        EXPECT_EQ(bs.size(), 1u);
        return bs.empty() ? AudioBlock{} : bs.front();
    }
};

// `classes`: the package's class names (Case::cls indexes them).
ParamMap soundParams(const Case& k, const std::vector<std::string>& classes) {
    return {{"class", classes.at(std::size_t(k.cls))}, {"pitch", std::int64_t(k.pitch)},
            {"velocity", std::int64_t(k.velocity)}, {"temperature", k.temperature},
            {"top_k", std::int64_t(k.topK)},        {"gain", k.gain}};
}

JobInputs inputAudio() {
    JobInputs in;
    AudioBlock a;
    a.sampleRateHz = 16000;
    a.channels = 1;
    a.samples = makeSharedFloats(decayingTone(220.0, 16000, 16000));
    in.audio = a;
    return in;
}

}  // namespace

// ------------------------------------------------------------------ parity

TEST_F(DdspEngine, DecodeSampleAndTransferMatchPyTorch) {
    const Reference& ref = reference();
    ASSERT_TRUE(ref.error.empty()) << ref.error;
    std::map<std::string, Loaded> models;
    torch::NoGradGuard noGrad;
    for (const Case& k : parityCases()) {
        SCOPED_TRACE(k.name);
        const auto out = readTensors(ref.dir / (k.name + ".safetensors"));
        if (!models.count(k.package)) models.emplace(k.package, loadPackage(g_home.path() / k.package));
        Loaded& m = models.at(k.package);
        const DdspConfig& c = m.config;

        // 1. The job as the app runs it: engine, plugin, DdspModel.
        JobInputs in = k.task == "audio.transfer" ? inputAudio() : JobInputs{};
        in.latent = k.slider;
        JobId job = 0;
        const auto end = sound(k.package, k.task, soundParams(k, c.classNames), k.seed, in, &job);
        ASSERT_EQ(end.state, JobState::Finished) << end.message;
        const AudioBlock b = clip(job);
        ASSERT_TRUE(b.samples && b.latent);
        EXPECT_EQ(b.sampleRateHz, 16000);
        EXPECT_EQ(b.totalFrames, c.clipFrames);
        EXPECT_EQ(b.latentDims, c.sliderDim());
        const double dEngine = maxDiff(tensorOf(*b.samples), out.at("audio"));
        const double dLatent = maxDiff(tensorOf(*b.latent), out.at("slider"));
        EXPECT_LE(dEngine, kTolerance);
        EXPECT_LE(dLatent, kTolerance);
        if (c.isVq()) {
            // Again: the model reuses its prior draw (what a slider drag
            // repeats) and must still give the reference's sound.
            JobId again = 0;
            const auto end2 = sound(k.package, k.task, soundParams(k, c.classNames), k.seed, in, &again);
            ASSERT_EQ(end2.state, JobState::Finished) << end2.message;
            EXPECT_LE(maxDiff(tensorOf(*clip(again).samples), out.at("audio")), kTolerance);
        }
        // The gain keeps the comparison off the clamp.
        EXPECT_LT(out.at("audio").abs().ge(1.0).to(at::kFloat).mean().item<double>(), 0.01);

        // 2. The same sound through generateSound, before gain and clamp.
        const bool pitched = c.pitched[std::size_t(k.cls)];
        const Conditions cond{at::full({1}, k.cls, at::kLong), at::full({1}, pitched ? k.pitch : -1, at::kLong),
                              at::full({1}, k.velocity, at::kLong)};
        std::optional<at::Tensor> slider;
        double dMel = 0, dMean = 0;
        if (!k.slider.empty()) slider = tensorOf(k.slider);
        if (k.task == "audio.transfer") {
            const LogMel mel(c.sampleRateHz, 1024, c.hop, c.melBands);
            const at::Tensor logmel = mel(tensorOf(decayingTone(220.0, 16000, 16000)));
            const at::Tensor mean = m.net->encode(logmel).mean;
            dMel = maxDiff(logmel, out.at("logmel"));
            dMean = maxDiff(mean, out.at("mean"));
            EXPECT_LE(dMel, kTolerance);
            EXPECT_LE(dMean, kTolerance);
            slider = at::cat({mean, m.net->embedClasses(cond.classes)}, 1);
        }
        auto gen = at::make_generator<at::CPUGeneratorImpl>(k.seed);
        const Generated g = generateSound(m.net, m.prior ? &m.prior : nullptr, cond, slider, k.temperature, k.topK, gen);
        const double dDirect = maxDiff(g.audio, out.at("raw"));
        EXPECT_LE(dDirect, kTolerance);
        EXPECT_LE(maxDiff(g.slider, out.at("slider")), kTolerance);
        if (c.isVq()) {
            ASSERT_TRUE(g.codes.defined());
            EXPECT_TRUE(at::equal(g.codes, out.at("codes"))) << g.codes << out.at("codes");
        }

        // 3. Part by part: the decoder's controls, the harmonic bank, the filtered noise.
        const at::Tensor latent = c.isVq() ? m.net->quantizer->lookup(g.codes) : g.slider.narrow(1, 0, c.latentDim);
        const at::Tensor embedding = g.slider.narrow(1, c.sliderDim() - c.classEmbedding, c.classEmbedding);
        const SynthControls controls =
            m.net->controls(latent, embedding, cond.pitch.to(at::kFloat), cond.velocity.to(at::kFloat) / 127.0,
                            pitchedFlags(c, cond.classes));
        const double dF0 = maxDiff(controls.f0Hz, out.at("f0"));
        const double dHarmonics = maxDiff(controls.harmonics, out.at("harmonics"));
        const double dBands = maxDiff(controls.noiseBands, out.at("noise_bands"));
        EXPECT_LE(dF0, 1e-3) << "Hz";
        EXPECT_LE(dHarmonics, 1e-6);
        EXPECT_LE(dBands, 1e-6);
        SynthControls harmonicOnly = controls;
        harmonicOnly.noiseBands = at::zeros_like(controls.noiseBands);
        auto unused = at::make_generator<at::CPUGeneratorImpl>(std::uint64_t(0));
        const at::Tensor harmonic = synthesize(harmonicOnly, c, unused);
        const double dHarmonic = maxDiff(harmonic, out.at("harmonic"));
        const double dNoise = maxDiff(g.audio - harmonic, out.at("noise"));
        EXPECT_LE(dHarmonic, kTolerance);
        EXPECT_LE(dNoise, kTolerance);
        // Both parts are loud enough for 1e-4 to mean something (a trained
        // model's note is nearly all harmonic: its noise is only checked for being there).
        const bool trained = k.package == kBundled;
        EXPECT_GT(out.at("harmonic").abs().max().item<double>(), trained ? 0.01 : 0.05);
        EXPECT_GT(out.at("noise").abs().max().item<double>(), trained ? 1e-3 : 0.05);
        std::printf("[ddsp parity] %-17s max |diff| engine %.2e direct %.2e harmonic %.2e noise %.2e f0 %.2e Hz "
                    "harmonics %.2e bands %.2e latent %.2e mel %.2e mean %.2e (peak %.2f)\n",
                    k.name.c_str(), dEngine, dDirect, dHarmonic, dNoise, dF0, dHarmonics, dBands, dLatent, dMel, dMean,
                    out.at("raw").abs().max().item<double>());
    }
}

TEST(DdspSynthParity, HarmonicBankAndNoiseFilterAtFullScaleMatchPyTorch) {
    const Reference& ref = reference();
    ASSERT_TRUE(ref.error.empty()) << ref.error;
    const DdspConfig c = tinyConfig("vae");
    const auto controls = synthControls(c);
    const auto out = readTensors(ref.dir / "synth.safetensors");
    const SynthControls sc{controls.at("f0"), controls.at("harmonics"), controls.at("noise_bands")};
    auto gen = at::make_generator<at::CPUGeneratorImpl>(kSynthSeed);
    const at::Tensor raw = synthesize(sc, c, gen);
    // The same generator gives the same white noise bit for bit.
    auto white = at::make_generator<at::CPUGeneratorImpl>(kSynthSeed);
    EXPECT_EQ(maxDiff(at::rand({2, c.clipFrames}, white, at::kFloat) * 2 - 1, out.at("white")), 0.0);
    SynthControls harmonicOnly = sc;
    harmonicOnly.noiseBands = at::zeros_like(sc.noiseBands);
    const at::Tensor harmonic = synthesize(harmonicOnly, c, gen);
    const double dRaw = maxDiff(raw, out.at("raw")), dHarmonic = maxDiff(harmonic, out.at("harmonic")),
                 dNoise = maxDiff(raw - harmonic, out.at("noise"));
    EXPECT_LE(dRaw, kTolerance);
    EXPECT_LE(dHarmonic, kTolerance);
    EXPECT_LE(dNoise, kTolerance);
    EXPECT_GT(out.at("noise").abs().max().item<double>(), 0.3);
    EXPECT_GT(out.at("harmonic").abs().max().item<double>(), 0.3);
    std::printf("[ddsp synth parity] max |diff| raw %.2e harmonic %.2e noise %.2e (peaks: harmonic %.2f noise %.2f)\n",
                dRaw, dHarmonic, dNoise, out.at("harmonic").abs().max().item<double>(),
                out.at("noise").abs().max().item<double>());
}

// ------------------------------------------------------------------ seeds and errors

TEST_F(DdspEngine, SameSeedSameSoundOtherSeedOtherSound) {
    for (const std::string id : {"tiny-vae", "tiny-vq"}) {
        SCOPED_TRACE(id);
        const ParamMap params = {{"class", std::string("snare")}, {"velocity", std::int64_t(100)}};
        JobId a = 0, b = 0, other = 0;
        ASSERT_EQ(sound(id, "audio.sample", params, 5, {}, &a).state, JobState::Finished);
        ASSERT_EQ(sound(id, "audio.sample", params, 5, {}, &b).state, JobState::Finished);
        ASSERT_EQ(sound(id, "audio.sample", params, 6, {}, &other).state, JobState::Finished);
        const AudioBlock ca = clip(a), cb = clip(b), co = clip(other);
        ASSERT_TRUE(ca.samples && cb.samples && co.samples);
        EXPECT_EQ(ca.samples->size(), 16000u);
        EXPECT_EQ(*ca.samples, *cb.samples);
        EXPECT_EQ(*ca.latent, *cb.latent);
        EXPECT_NE(*ca.samples, *co.samples);
        if (id == "tiny-vae") EXPECT_NE(*ca.latent, *co.latent) << "the seed draws the vae's latent";
        else EXPECT_EQ(*ca.latent, *co.latent) << "the vq's slider is the class embedding alone";

        // A given latent: the seed still draws the noise, the same seed the same sound.
        JobInputs in;
        in.latent = std::vector<float>(ca.latent->begin(), ca.latent->end());
        JobId d1 = 0, d2 = 0, d3 = 0;
        ASSERT_EQ(sound(id, "audio.decode", params, 8, in, &d1).state, JobState::Finished);
        ASSERT_EQ(sound(id, "audio.decode", params, 8, in, &d2).state, JobState::Finished);
        ASSERT_EQ(sound(id, "audio.decode", params, 9, in, &d3).state, JobState::Finished);
        EXPECT_EQ(*clip(d1).samples, *clip(d2).samples);
        EXPECT_NE(*clip(d1).samples, *clip(d3).samples);
        EXPECT_EQ(*clip(d1).latent, in.latent);
    }
    // Temperature 0: the vae's most typical sound, its latent all zeros.
    JobId cold = 0;
    ASSERT_EQ(sound("tiny-vae", "audio.sample", {{"class", std::string("kick")}, {"temperature", 0.0}}, 5, {}, &cold).state,
              JobState::Finished);
    const AudioBlock cc = clip(cold);
    for (int i = 0; i < tinyConfig("vae").latentDim; ++i) EXPECT_EQ((*cc.latent)[std::size_t(i)], 0.0f);
}

TEST_F(DdspEngine, BadRequestsFailClearly) {
    const auto expectFailure = [&](const std::string& id, const std::string& task, ParamMap params, JobInputs in,
                                   const std::string& part) {
        SCOPED_TRACE(id + " " + task + " " + part);
        const auto end = sound(id, task, std::move(params), 1, std::move(in));
        EXPECT_EQ(end.state, JobState::Failed);
        EXPECT_EQ(end.kind, ErrorKind::BadArgument) << end.message;
        EXPECT_NE(end.message.find(part), std::string::npos) << end.message;
    };
    expectFailure("tiny-vae", "audio.decode", {}, {}, "decode needs a latent of 10 values");
    JobInputs three;
    three.latent = {0.1f, 0.2f, 0.3f};
    expectFailure("tiny-vae", "audio.decode", {}, three, "the latent has 3 values; this model takes 10");
    expectFailure("tiny-vq", "audio.sample", {}, three, "the latent has 3 values; this model takes 6");
    expectFailure("tiny-vae", "audio.sample", {{"class", std::string("tuba")}}, {},
                  "no class 'tuba' (it has: kick, snare, Acoustic Grand Piano)");
    expectFailure("tiny-vae", "audio.transfer", {}, {}, "needs input audio");
    const auto vqTransfer = sound("tiny-vq", "audio.transfer", {}, 1, inputAudio());
    EXPECT_EQ(vqTransfer.state, JobState::Failed);
    EXPECT_NE(vqTransfer.message.find("transfer"), std::string::npos) << vqTransfer.message;
    // Still serving after all of that.
    EXPECT_EQ(sound("tiny-vq", "audio.sample", {}, 1).state, JobState::Finished);
}

// ------------------------------------------------------------------ training

TEST_F(DdspEngine, TrainingRefusesBadParamsClearly) {
    test::TempDir dir;
    fs::create_directories(dir.path() / "not-a-package");
    std::ofstream(dir.path() / "not-a-package" / "notes.txt") << "mine";
    const ParamMap good = {{"data", std::string("sonic-pi")}, {"out", (dir.path() / "m").string()},
                           {"steps", std::int64_t(2)},         {"classifier_steps", std::int64_t(0)}};
    const auto expectRefused = [&](const std::string& key, ParamValue value, const std::string& part) {
        SCOPED_TRACE(key);
        ParamMap p = good;
        p[key] = std::move(value);
        const auto end = train(p);
        EXPECT_EQ(end.state, JobState::Failed);
        EXPECT_EQ(end.kind, ErrorKind::BadArgument) << end.message;
        EXPECT_NE(end.message.find(part), std::string::npos) << end.message;
    };
    expectRefused("steps", std::int64_t(0), "parameter 'steps'");
    expectRefused("batch", std::int64_t(0), "parameter 'batch'");
    expectRefused("hidden", std::int64_t(8), "parameter 'hidden'");
    expectRefused("bottleneck", std::string("gan"), "parameter 'bottleneck'");
    expectRefused("lr", -1.0, "parameter 'lr'");
    expectRefused("data", std::string("nonesuch"), "nonesuch");
    expectRefused("data", std::string(""), "no audio data source");
    expectRefused("out", std::string(""), "no output folder given");
    expectRefused("out", (dir.path() / "no-such-parent" / "m").string(), "no-such-parent");
    expectRefused("out", (dir.path() / "not-a-package").string(), "not-a-package");
    EXPECT_FALSE(fs::exists(dir.path() / "m"));
}

TEST_F(DdspEngine, TinyTrainingJobWritesAPackageThatPlays) {
    if (!fs::is_directory("/usr/share/sonic-pi/samples"))
        GTEST_SKIP() << "needs Debian's sonic-pi-samples (scripts/studio installs the audio training data)";
    test::TempDir dir;
    for (const std::string bottleneck : {"vae", "vq"}) {
        SCOPED_TRACE(bottleneck);
        const std::string id = "trained-" + bottleneck;
        const fs::path out = dir.path() / id;
        const ParamMap params = {{"data", std::string("sonic-pi")}, {"out", out.string()},
                                 {"bottleneck", bottleneck},        {"steps", std::int64_t(3)},
                                 {"prior_steps", std::int64_t(2)},  {"batch", std::int64_t(2)},
                                 {"hidden", std::int64_t(16)},      {"latent_dim", std::int64_t(3)},
                                 {"limit", std::int64_t(6)},        {"classifier_steps", std::int64_t(2)},
                                 {"checkpoint_every", std::int64_t(2)}};
        const auto started = std::chrono::steady_clock::now();
        const auto end = train(params);
        ASSERT_EQ(end.state, JobState::Finished) << end.message;
        std::printf("[ddsp training] %s: %.1f s\n", bottleneck.c_str(),
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());

        const ModelPackage p = readModelManifest(out / "model.json");
        EXPECT_EQ(p.family, kFamily);
        EXPECT_EQ(p.id, id);
        EXPECT_EQ(p.config["bottleneck"], bottleneck);
        EXPECT_EQ(p.config["hidden"], 16);
        EXPECT_EQ(p.provenance["training"]["steps"], 3);
        EXPECT_EQ(p.provenance["training"]["prior_steps"], bottleneck == "vq" ? 2 : 0);
        EXPECT_EQ(p.provenance["data"]["train_clips"], 6);
        EXPECT_NE(p.provenance["recipe"].get<std::string>().find("--set limit=6"), std::string::npos);
        EXPECT_TRUE(p.provenance["metrics"].contains("test_spectral_loss"));
        for (const char* f : {"weights.safetensors", "directions.safetensors", "README.md"})
            EXPECT_TRUE(fs::exists(out / f)) << f;
        EXPECT_TRUE(fs::exists(dir.path() / (id + ".training")));
        const Loaded l = loadPackage(out);  // every tensor under the names the loader wants
        EXPECT_EQ(bool(l.prior), bottleneck == "vq");

        engine->models().addRoot(dir.path());
        ASSERT_TRUE(engine->models().find(id)) << "the registry did not accept the trained package";
        JobId job = 0;
        const auto played = sound(id, "audio.sample", {{"class", p.config["classes"][0].get<std::string>()}}, 2, {}, &job);
        ASSERT_EQ(played.state, JobState::Finished) << played.message;
        const AudioBlock b = clip(job);
        ASSERT_TRUE(b.samples);
        EXPECT_EQ(std::int64_t(b.samples->size()), p.config["clip_frames"].get<std::int64_t>());
        EXPECT_TRUE(at::isfinite(tensorOf(*b.samples)).all().item<bool>());

        // More steps on the same folder resume from its checkpoint (prior included).
        ParamMap more = params;
        more["steps"] = std::int64_t(4);
        more["prior_steps"] = std::int64_t(3);
        const auto resumed = train(more);
        ASSERT_EQ(resumed.state, JobState::Finished) << resumed.message;
        const ModelPackage again = readModelManifest(out / "model.json");
        EXPECT_EQ(again.provenance["training"]["steps"], 4);
        EXPECT_EQ(again.provenance["training"]["prior_steps"], bottleneck == "vq" ? 3 : 0);
    }
}
