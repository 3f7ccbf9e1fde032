#pragma once
// The ViT task: each 8x8 optdigits image cut into patch_size x patch_size tiles, row by
// row (patch i covers rows (i / (8/p))*p.., columns (i % (8/p))*p..), pixels scaled to
// [0, 1]. Ten classes "0".."9". The pool/held-out split is a seeded shuffle. Two pool
// variants show when selection pays and when it backfires (docs/SCIENCE.md section 1):
// redundant copies of the easiest images, and labels flipped at random. The held-out set is
// never altered.
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/core/rng.h"
#include "engine/core/settings.h"
#include "engine/tasks/task.h"

namespace attent {

class DigitsPatchTask : public PatchTask {
 public:
  struct Config {
    int patchSize = 4;  // 2, 4 or 8
    double heldoutFraction = 0.2;
    std::uint64_t seed = 1;
    int copies = 0;         // extra copies of each of the pool's most typical quarter
    double labelNoise = 0;  // fraction of pool examples given another, random label
  };
  explicit DigitsPatchTask(Config config);  // throws SettingsError naming the valid values
  // vit.patch_size, data.heldout_fraction, data.seed, data.copies, data.label_noise
  static std::vector<SettingSpec> settingSpecs();
  static std::unique_ptr<DigitsPatchTask> fromSettings(const Settings& settings);

  std::string name() const override {
    return "digits (8x8, patch " + std::to_string(config_.patchSize) + ")";
  }
  int size(Split split) const override {
    return static_cast<int>(index_[split == Split::Pool ? 0 : 1].size());
  }
  ExampleView render(Split split, int index) const override;
  std::vector<int> probes() const override;  // held-out examples of four different digits
  std::vector<std::string> classNames() const override;

  int patchCount() const override { return (8 / config_.patchSize) * (8 / config_.patchSize); }
  int patchDim() const override { return config_.patchSize * config_.patchSize; }
  int classCount() const override { return 10; }
  PatchExample example(Split split, int index) const override;

  int imageIndex(Split split, int index) const;  // position in optdigits()
  int trueLabel(Split split, int index) const;   // the image's label, whatever the pool says

 private:
  Config config_;
  void addTypicalCopies(Rng& rng);
  void flipLabels(Rng& rng);

  std::vector<int> index_[2];      // pool, held-out: positions in optdigits()
  std::vector<int> labels_[2];     // the labels trained and evaluated on
  std::vector<float> patches_[2];  // size() x patchCount() x patchDim()
};

}  // namespace attent
