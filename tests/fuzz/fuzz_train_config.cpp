// `latent-studio train --config FILE.json`: latent::cli::configFileSets turns
// the file's members into name=value texts, which parseParamSets types by the
// task's schema (both app/cli/ParamSets.cpp, compiled into this harness) and
// latent::validateParams (engine/src/ParamSpec.cpp) checks. The schema stands
// in for a trainer's: one parameter of each type.
#include "FuzzSupport.h"
#include "cli/Commands.h"
#include "latent/ParamSpec.h"

namespace {

const latent::ParamSchema& schema() {
    using latent::ParamSpec;
    static const latent::ParamSchema s = [] {
        latent::ParamSchema out{
            ParamSpec::integer("steps", "Steps", 1, 1000000, 2000, "steps"),
            ParamSpec::number("learning_rate", "Learning rate", 1e-6, 1.0, 3e-4, 1e-5),
            ParamSpec::boolean("resume", "Resume", true),
            ParamSpec::text("data", "Data", ""),
            ParamSpec::text("out", "Output", ""),
        };
        ParamSpec choice;
        choice.name = "dtype";
        choice.type = latent::ParamType::Choice;
        choice.label = "Weights";
        choice.defaultValue = std::string("float32");
        choice.choices = {"float32", "int8"};
        out.push_back(choice);
        return out;
    }();
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latent;
    static const auto file = fuzz::scratchDir() / "train-config.json";
    fuzz::writeFile(file, fuzz::asView(data, size));
    fuzz::rejectOnlyWithError([&] {
        std::vector<std::string> sets = cli::configFileSets(file.string());
        sets.push_back("data=corpus.txt");
        sets.push_back("out=my-gpt");
        const ParamMap values = cli::parseParamSets(sets, schema());
        const ParamMap checked = validateParams(schema(), values);
        FUZZ_CHECK(checked.size() == schema().size());
    });
    return 0;
}
