#include "DdspPackage.h"

#include <ATen/ATen.h>

#include <cmath>
#include <set>
#include <sstream>

#include "latent/BuildInfo.h"
#include "latent/Error.h"
#include "latent/ModelPackage.h"
#include "latent/PackageFolder.h"
#include "latent/TextFormat.h"
#include "latent/formats/AtomicFile.h"
#include "latent/formats/Sha256.h"
#include "latent/plugin/torch/LatentDirections.h"
#include "latent/plugin/torch/ModuleWeights.h"
#include "latent/plugin/torch/SafetensorsTorch.h"

namespace fs = std::filesystem;

namespace latent::ddsp {
namespace {

int classIndex(const DdspConfig& c, const std::string& name) {
    for (std::size_t i = 0; i < c.classNames.size(); ++i)
        if (c.classNames[i] == name) return int(i);
    return -1;
}

// Slider directions over [global latent | class embedding]: principal
// directions of the training clips' latents, "dark ↔ bright" from their
// spectral centroids, and class blends (kick ↔ snare, piano ↔ strings…)
// along the difference of two class embeddings.
nlohmann::json writeDirections(DdspNet& net, const Evaluation& eval, const fs::path& file) {
    const DdspConfig& c = net->config();
    const int dim = c.sliderDim(), zDim = c.isVq() ? 0 : c.latentDim;
    const at::Tensor embeddings = net->classEmbed->weight.detach().to(at::kCPU, at::kFloat);  // [K, E]
    const auto pad = [&](const at::Tensor& zPart, const at::Tensor& ePart) {
        at::Tensor row = at::zeros({dim}, at::kFloat);
        if (zPart.defined()) row.narrow(0, 0, zDim).copy_(zPart);
        if (ePart.defined()) row.narrow(0, zDim, c.classEmbedding).copy_(ePart);
        return row;
    };
    LatentDirections d;
    std::vector<at::Tensor> principal, named;
    if (!c.isVq()) {
        const LatentDirections z = computeDirections(eval.trainLatents, at::full({eval.trainLatents.size(0)}, -1, at::kLong),
                                                     {}, {}, zDim);
        d.mean = pad(z.mean, embeddings.mean(0));
        for (std::int64_t i = 0; i < z.principal.size(0); ++i) principal.push_back(pad(z.principal[i], {}));
        d.explained = z.explained;
        // Brightness: the latent mean of the brightest quarter minus the darkest quarter's.
        const at::Tensor order = eval.centroids.argsort();
        const std::int64_t q = std::max<std::int64_t>(1, order.size(0) / 4);
        const at::Tensor dark = eval.trainLatents.index_select(0, order.narrow(0, 0, q)).mean(0);
        const at::Tensor bright = eval.trainLatents.index_select(0, order.narrow(0, order.size(0) - q, q)).mean(0);
        named.push_back(pad(bright - dark, {}));
        d.namedLabels.push_back("dark ↔ bright");
    } else {
        const LatentDirections e = computeDirections(embeddings, at::full({embeddings.size(0)}, -1, at::kLong), {}, {},
                                                     std::min<int>(c.classEmbedding, int(embeddings.size(0)) - 1));
        d.mean = e.mean;
        for (std::int64_t i = 0; i < e.principal.size(0); ++i) principal.push_back(e.principal[i]);
        d.explained = e.explained;
    }
    const std::vector<std::pair<std::string, std::string>> pairs = {
        {"kick", "snare"},           {"closed hat", "open hat"},      {"crash", "ride"}, {"tom", "kick"},
        {"clap", "snare"},           {"Acoustic Grand Piano", "String Ensemble 1"},
        {"Flute", "Trumpet"},        {"Electric Piano 1", "Vibraphone"}, {"Acoustic Guitar (nylon)", "Electric Bass (finger)"},
        {"Drawbar Organ", "Pad 2 (warm)"}};
    for (const auto& [a, b] : pairs) {
        const int ia = classIndex(c, a), ib = classIndex(c, b);
        if (ia < 0 || ib < 0) continue;
        named.push_back(pad({}, embeddings[ib] - embeddings[ia]));
        d.namedLabels.push_back(a + " ↔ " + b);
    }
    d.principal = at::stack(principal).contiguous();
    d.named = named.empty() ? at::zeros({0, dim}, at::kFloat) : at::stack(named).contiguous();
    nlohmann::json latent = saveDirections(d, file, c.isVq() ? "class embedding" : "z + class embedding", dim);
    latent["classes"] = c.classNames;
    latent["has_mean"] = true;
    return latent;
}

std::string modelCard(const ModelPackage& p, const TrainingData& train, const TrainingData& test,
                      const Evaluation& eval, const DdspSettings& s, double wallSeconds, std::int64_t parameters,
                      const std::string& recipe) {
    const auto& m = eval.metrics;
    const auto get = [&](const char* k) { auto it = m.find(k); return it == m.end() ? 0.0 : it->second; };
    std::ostringstream md;
    md << "# " << p.name << "\n\n" << p.description << "\n\n";
    md << "| | |\n|---|---|\n";
    md << "| Family | audio-ddsp (" << (s.bottleneck == "vq" ? "VQ-VAE with a transformer prior" : "VAE") << ") |\n";
    md << "| Parameters | " << parameters << " |\n";
    md << "| Sound | " << p.config["sample_rate_hz"].get<int>() << " Hz mono, one-shots of "
       << formatFixed(p.config["clip_frames"].get<double>() / p.config["sample_rate_hz"].get<double>(), 2) << " s |\n";
    md << "| Classes | " << train.meta.classNames.size() << " |\n";
    md << "| Training | " << s.steps << " steps" << (s.priorSteps ? " + " + std::to_string(s.priorSteps) + " prior steps" : "")
       << ", batch " << s.batch << ", seed " << s.seed << ", " << formatDuration(wallSeconds) << " on " << s.device
       << " |\n";
    md << "| Data | " << train.size() << " training clips, " << test.size() << " held out |\n\n";
    md << "## Measured on held-out clips\n\n"
       << "A classifier trained here on the real training clips is the judge (its accuracy on real held-out "
          "clips shows how far to trust it). One clip is generated for every held-out clip's class, pitch and "
          "velocity.\n\n";
    md << "| Metric | Generated | Real |\n|---|---|---|\n";
    md << "| Class accuracy (judge) | " << formatFixed(get("class_accuracy_generated"), 3) << " | "
       << formatFixed(get("judge_accuracy_real_test"), 3) << " |\n";
    md << "| Notes with f0 within ±50 cents | " << formatFixed(get("pitch_within_50_cents_generated"), 3) << " | "
       << formatFixed(get("pitch_within_50_cents_real_test"), 3) << " (" << int(get("pitched_test_clips"))
       << " notes) |\n";
    md << "| Fréchet distance on judge embeddings (vs real held-out) | "
       << formatFixed(get("frechet_generated_vs_real_test"), 2) << " | "
       << formatFixed(get("frechet_real_train_vs_real_test"), 2) << " (real training clips: the floor) |\n";
    md << "| Held-out reconstruction (spectral loss) | " << formatFixed(get("test_spectral_loss"), 3) << " | |\n";
    if (m.count("codebook_usage_test"))
        md << "| Codebook usage / perplexity (held-out) | " << formatFixed(get("codebook_usage_test"), 3) << " / "
           << formatFixed(get("codebook_perplexity_test"), 1) << " of " << p.config["codebook_size"].get<int>() << " | |\n";
    md << "\n## Data and licences\n\n";
    for (const auto& credit : train.meta.credits)
        md << "- " << credit.source << ": " << credit.license << " — " << credit.credit << " (" << credit.clips
           << " clips)\n";
    md << "\nThe model's weights: MIT (Latent Studio). Sounds it makes are yours; some training kits are GPL or "
          "CC-BY-SA (credited above), so redistributing the weights keeps these credits.\n";
    md << "\n## Recipe\n\n```\n" << recipe << "\n```\n";
    return md.str();
}

}  // namespace

std::map<std::string, at::Tensor> ddspWeights(DdspNet& net, CodePrior* prior) {
    std::map<std::string, at::Tensor> out;
    for (const auto& [name, t] : moduleWeights(*net)) out["net." + name] = t;
    if (prior)
        for (const auto& [name, t] : moduleWeights(**prior)) out["prior." + name] = t;
    return out;
}

void writeDdspPackage(JobContext& ctx, DdspNet& net, CodePrior* prior, const TrainingData& train,
                      const TrainingData& test, const Evaluation& eval, const DdspSettings& s, std::int64_t steps,
                      std::int64_t priorSteps, double wallSeconds) {
    const fs::path tmp = makeStagingFolder(s.out);
    try {
        const auto weights = ddspWeights(net, prior);
        std::int64_t parameters = 0;
        for (const auto& [name, t] : weights) parameters += t.numel();
        saveSafetensorsTensors(tmp / "weights.safetensors", weights, {{"format", "latent-studio"}, {"family", "audio-ddsp"}});
        ModelPackage p;
        p.latent = writeDirections(net, eval, tmp / "directions.safetensors");
        p.id = s.id.empty() ? s.out.filename().string() : s.id;
        const bool vq = s.bottleneck == "vq";
        p.name = !s.name.empty() ? s.name : vq ? "One-shots VQ (drums and notes)" : "One-shots (drums and notes)";
        p.family = "audio-ddsp";
        p.version = "1.0.0";
        p.description = std::string(vq ? "A VQ-VAE over one-shot sounds: discrete codes, sampled by a transformer prior "
                                         "conditioned on class, pitch and velocity, "
                                       : "A VAE over one-shot sounds: a continuous latent for sliders, ") +
                        "decoded by a harmonic-plus-noise synthesiser (DDSP). Drums and " +
                        std::to_string(std::count(net->config().pitched.begin(), net->config().pitched.end(), true)) +
                        " General MIDI instruments, trained by Latent Studio.";
        p.tasks = vq ? std::vector<std::string>{"audio.sample", "audio.decode"}
                     : std::vector<std::string>{"audio.sample", "audio.decode", "audio.transfer"};
        p.config = net->config().toJson();
        p.defaults = {{"class", net->config().classNames.front()}};
        std::set<std::string> licences;
        for (const auto& credit : train.meta.credits) licences.insert(credit.license);
        std::string dataLicences;
        for (const auto& l : licences) dataLicences += (dataLicences.empty() ? "" : ", ") + l;
        p.license = "Model: MIT (Latent Studio). Training data: " + dataLicences + " (credits in README.md)";
        std::ostringstream recipe;
        recipe << "latent-studio train audio --family ddsp --data " << s.data << " --out " << s.out.filename().string()
               << " --steps " << s.steps << " --seed " << s.seed << " --set bottleneck=" << s.bottleneck
               << " --set batch=" << s.batch << " --set lr=" << s.lr;
        if (vq) recipe << " --set prior_steps=" << s.priorSteps;
        else recipe << " --set kl_weight=" << s.klWeight << " --set latent_dim=" << s.latentDim;
        if (s.limit) recipe << " --set limit=" << s.limit;
        nlohmann::json metrics = nlohmann::json::object();
        for (const auto& [name, value] : eval.metrics) metrics[name] = std::round(value * 1e4) / 1e4;
        nlohmann::json credits = nlohmann::json::array();
        for (const auto& c : train.meta.credits)
            credits.push_back({{"source", c.source}, {"license", c.license}, {"credit", c.credit}, {"clips", c.clips}});
        p.provenance = {{"data", {{"sources", s.data}, {"train_clips", train.size()}, {"test_clips", test.size()},
                                  {"credits", credits}}},
                        {"recipe", recipe.str()},
                        {"training", {{"steps", steps}, {"prior_steps", priorSteps}, {"batch", s.batch}, {"lr", s.lr},
                                      {"seed", s.seed}, {"device", s.device}, {"wall_seconds", std::round(wallSeconds)},
                                      {"parameters", parameters}}},
                        {"metrics", metrics},
                        {"app_version", LATENT_APP_VERSION},
                        {"torch_version", LATENT_TORCH_VERSION}};
        writeFileAtomic(tmp / "README.md", modelCard(p, train, test, eval, s, wallSeconds, parameters, recipe.str()));
        for (const char* f : {"weights.safetensors", "directions.safetensors", "README.md"})
            p.files.push_back({f, fs::file_size(tmp / f), Sha256::fileHex(tmp / f)});
        p.dir = tmp;
        writeModelManifest(p, tmp / "model.json");
        replacePackageFolder(tmp, s.out, "audio-ddsp");
        ctx.log(LogLevel::Info, "wrote " + s.out.string() + " (" + formatDuration(wallSeconds) + " of training)");
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
}

}  // namespace latent::ddsp
