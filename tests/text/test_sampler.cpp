// Sampling: greedy, seeded reproducibility, the filters and the penalty.
#include <cmath>
#include <map>

#include <gtest/gtest.h>

#include "latent/Error.h"
#include "latent/text/Sampler.h"

using namespace latent::text;

namespace {

const std::vector<float> kLogits = {1.0f, 3.0f, 2.5f, -1.0f, 0.5f, 3.0f};

TEST(Sampler, GreedyPicksTheArgmaxLowestIdOnTies) {
    Sampler s({0.0, 0, 1.0, 1.0}, 7);
    EXPECT_EQ(s.sample(kLogits.data(), 6, {}), 1);
}

TEST(Sampler, SameSeedSameTokens) {
    Sampler a({0.9, 0, 1.0, 1.0}, 42), b({0.9, 0, 1.0, 1.0}, 42), c({0.9, 0, 1.0, 1.0}, 43);
    std::vector<TokenId> sa, sb, sc;
    for (int i = 0; i < 200; ++i) {
        sa.push_back(a.sample(kLogits.data(), 6, {}));
        sb.push_back(b.sample(kLogits.data(), 6, {}));
        sc.push_back(c.sample(kLogits.data(), 6, {}));
    }
    EXPECT_EQ(sa, sb);
    EXPECT_NE(sa, sc);
}

TEST(Sampler, FollowsTheSoftmaxAtTemperatureOne) {
    Sampler s({1.0, 0, 1.0, 1.0}, 1);
    std::map<TokenId, int> counts;
    const int n = 60000;
    for (int i = 0; i < n; ++i) ++counts[s.sample(kLogits.data(), 6, {})];
    double z = 0;
    for (float l : kLogits) z += std::exp(double(l));
    for (int id = 0; id < 6; ++id)
        EXPECT_NEAR(counts[id] / double(n), std::exp(double(kLogits[std::size_t(id)])) / z, 0.01) << "token " << id;
}

TEST(Sampler, TopKAndTopPCutTheTail) {
    Sampler k({1.5, 2, 1.0, 1.0}, 3);
    Sampler p({1.0, 0, 0.5, 1.0}, 3);
    for (int i = 0; i < 2000; ++i) {
        const TokenId a = k.sample(kLogits.data(), 6, {});
        EXPECT_TRUE(a == 1 || a == 5) << a;
        const TokenId b = p.sample(kLogits.data(), 6, {});
        EXPECT_TRUE(b == 1 || b == 5) << b;  // the two 3.0 logits hold over half the mass
    }
}

TEST(Sampler, RepetitionPenaltyDiscouragesSeenTokens) {
    Sampler s({0.0, 0, 1.0, 2.0}, 1);
    EXPECT_EQ(s.sample(kLogits.data(), 6, {1, 5}), 2) << "3.0/2 = 1.5 < 2.5";
    const std::vector<float> negative = {-1.0f, -1.2f};
    Sampler t({0.0, 0, 1.0, 2.0}, 1);
    EXPECT_EQ(t.sample(negative.data(), 2, {0}), 1) << "negative logits are multiplied: -2 < -1.2";
}

TEST(Sampler, RejectsAbsurdSettings) {
    EXPECT_THROW(Sampler({-1.0, 0, 1.0, 1.0}, 1), latent::Error);
    EXPECT_THROW(Sampler({1.0, 0, 0.0, 1.0}, 1), latent::Error);
    EXPECT_THROW(Sampler({1.0, 0, 1.0, 0.0}, 1), latent::Error);
}

TEST(Sampler, DescribeChoiceGivesLogSoftmaxAndTopN) {
    const TokenChoice c = describeChoice(kLogits.data(), 6, 2, 3);
    double z = 0;
    for (float l : kLogits) z += std::exp(double(l));
    EXPECT_NEAR(c.logprob, 2.5 - std::log(z), 1e-5);
    ASSERT_EQ(c.alternatives.size(), 3u);
    EXPECT_EQ(c.alternatives[0].first, 1);
    EXPECT_EQ(c.alternatives[1].first, 5);
    EXPECT_EQ(c.alternatives[2].first, 2);
}

}  // namespace
