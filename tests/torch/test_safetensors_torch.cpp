#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "latent/Error.h"
#include "latent/formats/Safetensors.h"
#include "latent/plugin/torch/SafetensorsTorch.h"

namespace fs = std::filesystem;
using latent::Error;
using latent::ErrorKind;
using latent::SafetensorsFile;

namespace {

class SafetensorsTorch : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::temp_directory_path() /
                ("latent-safetensors-torch-" + std::to_string(::getpid()) + "-" + info->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        at::manual_seed(1234);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    fs::path m_dir;
};

}  // namespace

TEST_F(SafetensorsTorch, RoundTripKeepsDTypeShapeAndValues) {
    std::map<std::string, at::Tensor> tensors;
    tensors["f32"] = at::randn({3, 4});
    tensors["f16"] = at::randn({2, 5}).to(at::kHalf);
    tensors["bf16"] = at::randn({7}).to(at::kBFloat16);
    tensors["i64"] = at::randint(-(1LL << 40), 1LL << 40, {2, 2, 2}, at::kLong);
    tensors["i32"] = at::randint(-1000, 1000, {4}, at::kInt);
    tensors["u8"] = at::randint(0, 256, {3, 1}, at::kByte);
    tensors["scalar"] = at::scalar_tensor(2.5, at::kFloat);
    tensors["empty"] = at::empty({0, 3}, at::kHalf);

    const fs::path path = m_dir / "model.safetensors";
    latent::saveSafetensorsTensors(path, tensors, {{"format", "pt"}});

    std::map<std::string, at::Tensor> loaded;
    {
        SafetensorsFile file(path);
        EXPECT_EQ(file.metadata().at("format"), "pt");
        loaded = latent::loadSafetensorsTensors(file);
    }  // the loaded tensors own their data and outlive the mapping

    ASSERT_EQ(loaded.size(), tensors.size());
    for (const auto& [name, original] : tensors) {
        SCOPED_TRACE(name);
        ASSERT_TRUE(loaded.count(name));
        const at::Tensor& back = loaded.at(name);
        EXPECT_EQ(back.scalar_type(), original.scalar_type());
        EXPECT_EQ(back.sizes(), original.sizes());
        EXPECT_TRUE(back.device().is_cpu());
        EXPECT_TRUE(at::equal(back, original));
    }
    EXPECT_EQ(loaded.at("scalar").dim(), 0);
}

TEST_F(SafetensorsTorch, SavesNonContiguousTensorsByValue) {
    const at::Tensor base = at::arange(12, at::kFloat).reshape({3, 4});
    const at::Tensor transposed = base.t();  // strided view
    const at::Tensor sliced = base.select(1, 1);
    ASSERT_FALSE(transposed.is_contiguous());
    const fs::path path = m_dir / "views.safetensors";
    latent::saveSafetensorsTensors(path, {{"t", transposed}, {"s", sliced}});

    SafetensorsFile file(path);
    const auto loaded = latent::loadSafetensorsTensors(file);
    EXPECT_TRUE(at::equal(loaded.at("t"), transposed));
    EXPECT_TRUE(at::equal(loaded.at("s"), sliced));
    // On disk the transposed tensor is laid out row-major: 0, 4, 8, 1, ...
    const float* raw = reinterpret_cast<const float*>(file.tensor("t").data);
    EXPECT_EQ(raw[1], 4.0f);
}

TEST_F(SafetensorsTorch, LoadsRawHalfPrecisionBytesAsHalfTensors) {
    // F16 1.0 = 0x3C00, -2.0 = 0xC000; BF16 1.0 = 0x3F80, 0.5 = 0x3F00.
    const std::uint16_t f16[2] = {0x3c00, 0xc000};
    const std::uint16_t bf16[2] = {0x3f80, 0x3f00};
    const fs::path path = m_dir / "half.safetensors";
    latent::writeSafetensors(
        path, {{"h", latent::TensorDType::F16, {2}, f16}, {"b", latent::TensorDType::BF16, {2, 1}, bf16}});
    SafetensorsFile file(path);
    const auto loaded = latent::loadSafetensorsTensors(file, "cpu");
    EXPECT_EQ(loaded.at("h").scalar_type(), at::kHalf);
    EXPECT_EQ(loaded.at("b").scalar_type(), at::kBFloat16);
    EXPECT_TRUE(at::equal(loaded.at("h").to(at::kFloat), at::tensor({1.0f, -2.0f})));
    EXPECT_TRUE(at::equal(loaded.at("b").to(at::kFloat), at::tensor({1.0f, 0.5f}).reshape({2, 1})));
}

TEST_F(SafetensorsTorch, UnsupportedDTypeThrowsBadArgument) {
    const fs::path path = m_dir / "double.safetensors";
    try {
        latent::saveSafetensorsTensors(path, {{"d", at::ones({2}, at::kDouble)}});
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadArgument);
        EXPECT_NE(std::string(e.what()).find("\"d\""), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("Double"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(path));
}

TEST_F(SafetensorsTorch, BadDeviceThrowsDevice) {
    const fs::path path = m_dir / "x.safetensors";
    latent::saveSafetensorsTensors(path, {{"x", at::ones({2})}});
    SafetensorsFile file(path);
    try {
        latent::loadSafetensorsTensors(file, "not-a-device");
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Device);
        EXPECT_NE(std::string(e.what()).find("not-a-device"), std::string::npos) << e.what();
    }
}

TEST_F(SafetensorsTorch, LoadsOntoCudaOrSaysWhyNot) {
    const fs::path path = m_dir / "cuda.safetensors";
    const at::Tensor original = at::randn({4, 4}).to(at::kHalf);
    latent::saveSafetensorsTensors(path, {{"w", original}});
    SafetensorsFile file(path);
    if (at::hasCUDA()) {
        const auto loaded = latent::loadSafetensorsTensors(file, "cuda:0");
        EXPECT_TRUE(loaded.at("w").is_cuda());
        EXPECT_TRUE(at::equal(loaded.at("w").cpu(), original));
        return;
    }
    // Without CUDA the torch failure becomes a readable Device error.
    try {
        latent::loadSafetensorsTensors(file, "cuda:0");
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Device);
        EXPECT_NE(std::string(e.what()).find("cuda:0"), std::string::npos) << e.what();
    }
}
