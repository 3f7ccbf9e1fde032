#include "engine/tasks/digits_task.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "engine/core/input_error.h"
#include "engine/core/rng.h"
#include "engine/tasks/digits.h"
#include "engine/tasks/task_settings.h"

namespace attent {

DigitsPatchTask::DigitsPatchTask(Config config) : config_(config) {
  const int p = config_.patchSize;
  if (p != 2 && p != 4 && p != 8)
    throw SettingsError("vit.patch_size must divide the 8x8 image: one of 2, 4, 8 (got " + std::to_string(p) +
                        ")");
  if (!(config_.heldoutFraction >= 0.01 && config_.heldoutFraction <= 0.5))
    throw SettingsError("data.heldout_fraction must be a number in [0.01, 0.5]");
  if (config_.copies < 0 || config_.copies > 20) throw SettingsError("data.copies must be in [0, 20]");
  if (!(config_.labelNoise >= 0 && config_.labelNoise <= 0.9))
    throw SettingsError("data.label_noise must be a fraction in [0, 0.9]");
  const auto& images = optdigits();
  const int n = static_cast<int>(images.size());
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i;
  Rng rng(config_.seed);
  for (int i = n - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  const int held = static_cast<int>(std::lround(n * config_.heldoutFraction));
  index_[1].assign(order.begin(), order.begin() + held);
  index_[0].assign(order.begin() + held, order.end());
  // Keep each part in data-set order: the split is random, browsing it is not.
  std::sort(index_[0].begin(), index_[0].end());
  std::sort(index_[1].begin(), index_[1].end());
  for (int part = 0; part < 2; ++part)
    for (int img : index_[part]) labels_[part].push_back(images[img].label);
  addTypicalCopies(rng);
  flipLabels(rng);

  const int side = 8 / p;
  for (int part = 0; part < 2; ++part) {
    auto& out = patches_[part];
    out.reserve(index_[part].size() * 64);
    for (int img : index_[part]) {
      const auto& px = images[img].pixels;
      for (int pr = 0; pr < side; ++pr)
        for (int pc = 0; pc < side; ++pc)
          for (int r = 0; r < p; ++r)
            for (int c = 0; c < p; ++c) out.push_back(px[(pr * p + r) * 8 + pc * p + c] / 16.0f);
    }
  }
}

// "Typical" = closest to its class's mean image in the pool: the examples a learner gets
// right first, so copies of them are redundant work that a loss-based teacher can skip.
void DigitsPatchTask::addTypicalCopies(Rng&) {
  if (config_.copies == 0) return;
  const auto& images = optdigits();
  std::vector<std::array<double, 64>> mean(10);
  std::vector<int> count(10, 0);
  for (auto& m : mean) m.fill(0);
  for (int img : index_[0]) {
    const auto& d = images[img];
    ++count[d.label];
    for (int i = 0; i < 64; ++i) mean[d.label][i] += d.pixels[i];
  }
  for (int c = 0; c < 10; ++c)
    for (auto& v : mean[c]) v /= std::max(1, count[c]);
  std::vector<std::pair<double, int>> distance;  // (squared distance to own mean, pool position)
  for (int i = 0; i < int(index_[0].size()); ++i) {
    const auto& d = images[index_[0][i]];
    double s = 0;
    for (int k = 0; k < 64; ++k) s += (d.pixels[k] - mean[d.label][k]) * (d.pixels[k] - mean[d.label][k]);
    distance.push_back({s, i});
  }
  std::sort(distance.begin(), distance.end());
  const int typical = int(distance.size()) / 4;
  const std::vector<int> original = index_[0];
  for (int copy = 0; copy < config_.copies; ++copy)
    for (int k = 0; k < typical; ++k) {
      index_[0].push_back(original[distance[k].second]);
      labels_[0].push_back(labels_[0][distance[k].second]);
    }
}

// Exactly round(noise x pool) examples, drawn without replacement, get a different label.
void DigitsPatchTask::flipLabels(Rng& rng) {
  const int n = int(index_[0].size()), flips = int(std::lround(n * config_.labelNoise));
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i;
  for (int i = 0; i < flips; ++i) {
    std::swap(order[i], order[i + int(rng.below(n - i))]);
    int& label = labels_[0][order[i]];
    label = (label + 1 + int(rng.below(9))) % 10;
  }
}

PatchExample DigitsPatchTask::example(Split split, int index) const {
  const int part = split == Split::Pool ? 0 : 1;
  PatchExample e;
  e.patches = patches_[part].data() + static_cast<std::size_t>(index) * 64;
  e.label = labels_[part][index];
  return e;
}

int DigitsPatchTask::trueLabel(Split split, int index) const {
  return optdigits()[imageIndex(split, index)].label;
}

int DigitsPatchTask::imageIndex(Split split, int index) const {
  return index_[split == Split::Pool ? 0 : 1][index];
}

ExampleView DigitsPatchTask::render(Split split, int index) const {
  const DigitImage& img = optdigits()[imageIndex(split, index)];
  ExampleView v;
  v.imageWidth = v.imageHeight = 8;
  v.image.resize(64);
  for (int i = 0; i < 64; ++i) v.image[i] = img.pixels[i] / 16.0f;
  v.patchSize = config_.patchSize;
  const int side = 8 / config_.patchSize;
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) v.tokens.push_back("r" + std::to_string(r) + "c" + std::to_string(c));
  const int given = labels_[split == Split::Pool ? 0 : 1][index];
  v.label = std::to_string(given);
  v.text = given == img.label ? "digit " + v.label
                              : "digit " + std::to_string(img.label) + ", labelled " + v.label;
  return v;
}

std::vector<int> DigitsPatchTask::probes() const {
  std::vector<int> p;
  for (int digit : {0, 3, 5, 8})
    for (int i = 0; i < size(Split::HeldOut); ++i)
      if (optdigits()[index_[1][i]].label == digit) {
        p.push_back(i);
        break;
      }
  return p;
}

std::vector<std::string> DigitsPatchTask::classNames() const {
  std::vector<std::string> names;
  for (int d = 0; d < 10; ++d) names.push_back(std::to_string(d));
  return names;
}

std::vector<SettingSpec> DigitsPatchTask::settingSpecs() {
  return {
      SettingSpec::choice("vit.patch_size", "4", {"2", "4", "8"},
                          "side of the square patches cut from the 8x8 image"),
      SettingSpec::real("data.heldout_fraction", 0.2, 0.01, 0.5, "fraction of the 1,797 images held out"),
      SettingSpec::integer("data.seed", 1, 0, 2147483647, "seed of the pool/held-out split"),
      SettingSpec::integer(
          "data.copies", 0, 0, 20,
          "extra copies, in the pool, of its most typical quarter of images (redundant, easy)"),
      SettingSpec::real("data.label_noise", 0.0, 0.0, 0.9,
                        "fraction of pool images given a wrong label at random (held-out labels stay true)"),
  };
}

std::unique_ptr<DigitsPatchTask> DigitsPatchTask::fromSettings(const Settings& s) {
  const Settings all = taskSettings(settingSpecs(), s);
  Config c;
  c.patchSize = static_cast<int>(all.integer("vit.patch_size"));
  c.heldoutFraction = all.real("data.heldout_fraction");
  c.seed = static_cast<std::uint64_t>(all.integer("data.seed"));
  c.copies = static_cast<int>(all.integer("data.copies"));
  c.labelNoise = all.real("data.label_noise");
  return std::make_unique<DigitsPatchTask>(c);
}

}  // namespace attent
