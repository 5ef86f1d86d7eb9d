#pragma once
// Shared by the image-family tests (VAE, GAN, flow, TorchScript): the Python
// reference outputs, file and tensor helpers, a minimal JobContext and an
// engine fixture that writes packages of the family into a temporary home.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "FakeJobContext.h"
#include "TestSupport.h"
#include "latent/Engine.h"
#include "latent/JobContext.h"
#include "latent/ModelPackage.h"
#include "latent/ModelRegistry.h"
#include "latent/formats/Sha256.h"

// Set by tests/plugins/CMakeLists.txt for the targets that link LibTorch: the
// TorchScript test does not, and must build without its headers.
#ifdef LATENT_TEST_TORCH
#include <map>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "latent/formats/Safetensors.h"
#include "latent/plugin/torch/SafetensorsTorch.h"
#include "latent/plugin/torch/TensorImage.h"
#endif

namespace latent::test {

inline std::string readBytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs tests/reference/<script> once per binary, before any test; its outputs stay in dir().
class ReferenceOutputs : public ::testing::Environment {
public:
    explicit ReferenceOutputs(std::string script) : m_script(std::move(script)), m_out(m_tmp.path() / "ref") {}

    // Registers a reference with gtest, which owns it; call at namespace scope.
    static const ReferenceOutputs& add(std::string script) {
        return *static_cast<ReferenceOutputs*>(
            ::testing::AddGlobalTestEnvironment(new ReferenceOutputs(std::move(script))));
    }

    void SetUp() override {
        const std::string cmd = std::string(LATENT_REFERENCE_PYTHON) + " " + LATENT_SOURCE_DIR + "/tests/reference/" +
                                m_script + " " + m_out.string();
        ASSERT_EQ(std::system(cmd.c_str()), 0) << m_script << " needs Debian's python3-torch: " << cmd;
    }

    const std::filesystem::path& dir() const { return m_out; }

private:
    std::string m_script;
    TempDir m_tmp;
    std::filesystem::path m_out;
};


#ifdef LATENT_TEST_TORCH
inline std::map<std::string, at::Tensor> readTensors(const std::filesystem::path& file) {
    const SafetensorsFile st(file);
    return loadSafetensorsTensors(st, "cpu");
}

// Largest absolute difference; compared in double so float and double tensors mix.
inline double maxDiff(const at::Tensor& a, const at::Tensor& b) {
    EXPECT_TRUE(a.sizes().equals(b.sizes())) << tensorShapeText(a) << " vs " << tensorShapeText(b);
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

// 8×8 gray images with one bright bar each: structure a tiny model learns quickly.
inline at::Tensor barImages(std::int64_t n, std::uint64_t seed) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const at::Tensor rows = at::randint(8, {n}, gen, at::kLong);
    at::Tensor images = at::zeros({n, 1, 8, 8}, at::kByte);
    for (std::int64_t i = 0; i < n; ++i) images[i][0][rows[i].item<std::int64_t>()].fill_(255);
    return images;
}
#endif

// What every test package of a family shares; writePackage adds the id, name, config and files.
struct ImageFamily {
    std::string id;                 // the plugin that runs the packages, e.g. "image-vae"
    std::string label;              // packages are named "<label> <package id>"
    std::filesystem::path weights;  // copied into every package as weights.safetensors
    nlohmann::json defaults = nlohmann::json::object();
    std::string license = "CC0-1.0";
    std::vector<std::string> tasks = {"image.sample", "image.decode", "image.encode"};
};

// An engine on the built plugins (no CUDA), an empty model home and a sink that records every job.
struct ImageEngineFixture : ::testing::Test {
    explicit ImageEngineFixture(ImageFamily family = {}) : m_family(std::move(family)) {}

    TempDir home;
    std::shared_ptr<RecordingSink> sink = std::make_shared<RecordingSink>();
    std::unique_ptr<Engine> engine;

    void SetUp() override {
        EngineConfig c;
        c.discoverCuda = false;
        c.threads = 2;
        c.pluginDirs = {LATENT_PLUGIN_DIR};
        c.modelDirs = {home.path()};
        engine = std::make_unique<Engine>(c);
        engine->addSink(sink);
    }

    // A package as training writes it, holding the family's weights.
    ModelPackage writePackage(const std::string& id, nlohmann::json config) {
        ModelPackage p;
        p.dir = home.path() / id;
        std::filesystem::create_directories(p.dir);
        std::filesystem::copy_file(m_family.weights, p.dir / "weights.safetensors",
                                   std::filesystem::copy_options::overwrite_existing);
        p.id = id;
        p.name = m_family.label + " " + id;
        p.family = m_family.id;
        p.version = "1.0.0";
        p.tasks = m_family.tasks;
        p.config = std::move(config);
        p.defaults = m_family.defaults;
        p.license = m_family.license;
        rehash(p);
        return p;
    }

    // Its weights cut in half under a manifest that matches them: only loading can tell.
    ModelPackage writeTruncatedPackage(const std::string& id, nlohmann::json config) {
        ModelPackage p = writePackage(id, std::move(config));
        const auto weights = p.dir / "weights.safetensors";
        std::filesystem::resize_file(weights, std::filesystem::file_size(weights) / 2);
        rehash(p);
        return p;
    }

    // Hashes the weights as they are now into model.json, then rescans.
    void rehash(ModelPackage& p) {
        const auto file = p.dir / "weights.safetensors";
        p.files = {{"weights.safetensors", std::filesystem::file_size(file), Sha256::fileHex(file)}};
        writeModelManifest(p, p.dir / "model.json");
        engine->models().rescan();
    }

    JobId submit(const std::string& id, const std::string& task, ParamMap params, std::uint64_t seed,
                 JobInputs inputs = {}) {
        JobRequest r;
        r.modelId = id;
        r.task = task;
        r.params = std::move(params);
        r.inputs = std::move(inputs);
        r.seed = seed;
        return engine->submit(r);
    }

    RecordingSink::Ended run(const std::string& id, const std::string& task, ParamMap params, std::uint64_t seed,
                             JobInputs inputs = {}, JobId* jobId = nullptr) {
        const JobId job = submit(id, task, std::move(params), seed, std::move(inputs));
        if (jobId) *jobId = job;
        return sink->waitEnd(job);
    }

    std::vector<ImageFrame> frames(JobId job) {
        std::lock_guard lock(sink->m_mutex);
        std::vector<ImageFrame> out;
        for (const auto& c : sink->chunks[job])
            if (const auto* f = std::get_if<ImageFrame>(c.get())) out.push_back(*f);
        return out;
    }

private:
    ImageFamily m_family;
};

}  // namespace latent::test
