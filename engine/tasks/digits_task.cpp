#include "engine/tasks/digits_task.h"

#include <algorithm>
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

PatchExample DigitsPatchTask::example(Split split, int index) const {
  const int part = split == Split::Pool ? 0 : 1;
  PatchExample e;
  e.patches = patches_[part].data() + static_cast<std::size_t>(index) * 64;
  e.label = optdigits()[index_[part][index]].label;
  return e;
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
  v.label = std::to_string(img.label);
  v.text = "digit " + v.label;
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
  };
}

std::unique_ptr<DigitsPatchTask> DigitsPatchTask::fromSettings(const Settings& s) {
  const Settings all = taskSettings(settingSpecs(), s);
  Config c;
  c.patchSize = static_cast<int>(all.integer("vit.patch_size"));
  c.heldoutFraction = all.real("data.heldout_fraction");
  c.seed = static_cast<std::uint64_t>(all.integer("data.seed"));
  return std::make_unique<DigitsPatchTask>(c);
}

}  // namespace attent
