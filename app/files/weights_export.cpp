#include "app/files/weights_export.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <numeric>
#include <stdexcept>

#include "app/files/atomic_write.h"
#include "app/files/npy.h"
#include "engine/core/input_error.h"
#include "engine/learners/transformer_learner.h"

namespace attent::app {

namespace {

QJsonArray jsonShape(const std::vector<int>& shape) {
  QJsonArray a;
  for (int d : shape) a.append(d);
  return a;
}

// Writes one .npy and returns its manifest entry.
template <class T>
QJsonObject writeNpy(const QDir& root, const QString& relative, const T* data,
                     const std::vector<int>& shape) {
  const QString path = root.filePath(relative);
  if (!QDir().mkpath(QFileInfo(path).path()))
    throw InputError(path.toStdString(), 0, 0, "cannot create its directory");
  writeFileAtomically(path, npyBytes(data, shape));
  QJsonObject o;
  o["file"] = relative;
  o["shape"] = jsonShape(shape);
  o["dtype"] = std::is_same_v<T, float> ? "float32" : "int32";
  return o;
}

// The transformer's architecture, enough to rebuild it (FORMATS.md shows the PyTorch code).
QJsonObject transformerModel(const nn::TransformerConfig& c) {
  QJsonObject m;
  m["architecture"] = "pre-layernorm-transformer";
  m["input"] = c.input == nn::InputKind::Tokens ? "tokens" : "patches";
  m["head"] = c.head == nn::HeadKind::CausalLM ? "causal-lm" : "classify";
  m["vocab"] = c.vocab;
  m["seq"] = c.seq;
  m["positions"] = c.positions();
  m["d_model"] = c.dModel;
  m["heads"] = c.heads;
  m["layers"] = c.layers;
  m["d_ff"] = c.dFF;
  m["patch_dim"] = c.patchDim;
  m["classes"] = c.classes;
  m["pooling"] = c.pooling == nn::Pooling::Mean ? "mean" : "class-token";
  m["causal"] = c.causal;
  m["layer_norm_eps"] = 1e-5;
  m["activation"] = "gelu-erf";
  m["attention_scale"] = 1.0 / std::sqrt(double(c.dModel / c.heads));
  m["outputs"] = c.outputs();
  return m;
}

// Which tensors make up which layer: "embed", "block<i>" (ln1, attn, ln2, mlp), "final_ln", "head".
QJsonArray layerMap(const Parameters<float>& p) {
  QJsonArray layers;
  QJsonObject current;
  QString currentName;
  for (const auto& v : p.views()) {
    const QString name = QString::fromStdString(v.name);
    const QString layer = name.section('.', 0, 0);
    if (layer != currentName) {
      if (!currentName.isEmpty()) layers.append(current);
      current = QJsonObject{{"layer", layer}, {"tensors", QJsonObject()}};
      currentName = layer;
    }
    QJsonObject t = current["tensors"].toObject();
    t[name.section('.', 1)] = name;
    current["tensors"] = t;
  }
  if (!currentName.isEmpty()) layers.append(current);
  return layers;
}

// The batch, as the learner's typed task interface hands it over: examples 0..n-1 of `split`.
QJsonObject exportBatch(const QDir& root, const Task& task, Split split, const std::vector<int>& indices) {
  const int n = int(indices.size());
  QJsonObject batch;
  batch["split"] = split == Split::HeldOut ? "heldout" : "pool";
  batch["size"] = n;
  QJsonObject files;
  files["indices"] = writeNpy(root, "batch/indices.npy", indices.data(), {n});
  if (auto* t = dynamic_cast<const TokenTask*>(&task)) {
    const int S = t->sequenceLength();
    std::vector<std::int32_t> tokens(std::size_t(n) * S), targets(std::size_t(n) * S, -1), labels(n),
        lengths(n);
    bool hasTargets = false;
    for (int i = 0; i < n; ++i) {
      const TokenExample x = t->example(split, i);
      std::copy_n(x.tokens, S, tokens.begin() + std::size_t(i) * S);
      if (x.targets) {
        std::copy_n(x.targets, S, targets.begin() + std::size_t(i) * S);
        hasTargets = true;
      }
      labels[i] = x.label;
      lengths[i] = x.length > 0 ? x.length : S;
    }
    files["tokens"] = writeNpy(root, "batch/tokens.npy", tokens.data(), {n, S});
    if (hasTargets) files["targets"] = writeNpy(root, "batch/targets.npy", targets.data(), {n, S});
    if (t->classCount() > 0) files["labels"] = writeNpy(root, "batch/labels.npy", labels.data(), {n});
    files["lengths"] = writeNpy(root, "batch/lengths.npy", lengths.data(), {n});
    batch["vocab"] = t->vocabSize();
  } else if (auto* pt = dynamic_cast<const PatchTask*>(&task)) {
    const int S = pt->patchCount(), D = pt->patchDim();
    std::vector<float> patches(std::size_t(n) * S * D);
    std::vector<std::int32_t> labels(n);
    for (int i = 0; i < n; ++i) {
      const PatchExample x = pt->example(split, i);
      std::copy_n(x.patches, std::size_t(S) * D, patches.begin() + std::size_t(i) * S * D);
      labels[i] = x.label;
    }
    files["patches"] = writeNpy(root, "batch/patches.npy", patches.data(), {n, S, D});
    files["labels"] = writeNpy(root, "batch/labels.npy", labels.data(), {n});
  }
  batch["files"] = files;
  return batch;
}

// The manifest's entry for one tensor of the first run (every run has the same tensors).
QJsonObject tensorEntry(const ParamView& v, const QJsonObject& written) {
  const QString name = QString::fromStdString(v.name);
  QJsonObject t;
  t["name"] = name;
  t["shape"] = written["shape"];
  t["dtype"] = "float32";
  t["file"] = "params/" + name + ".npy";
  t["grad_file"] = "grads/" + name + ".npy";
  t["trainable"] = v.trainable;
  t["weight_decay"] = v.decay;
  t["group"] = v.group;
  return t;
}

// Run r's parameters, the gradient of the batch's mean loss and the per-example losses; the
// run's own gradient buffer is put back after. `tensors` gets the entries when non-null.
QJsonObject exportRun(const QDir& root, Experiment& e, int r, Split split, const std::vector<int>& indices,
                      QJsonArray* tensors) {
  Learner& l = *e.learner(r);
  Parameters<float>& p = l.parameters();
  const QString dir = "runs/" + QString::fromStdString(e.runName(r)) + "/";
  const auto keptGrads = p.grads();
  ForwardOutputs out;
  p.zeroGrad();
  l.forward(split, indices, out, true);
  l.backward();
  const int n = int(indices.size());
  double mean = 0;
  for (float x : out.loss) mean += x;
  mean /= n;
  QJsonObject run;
  run["name"] = QString::fromStdString(e.runName(r));
  run["directory"] = dir;
  run["losses"] = writeNpy(root, dir + "losses.npy", out.loss.data(), {n});
  run["mean_loss"] = mean;
  for (const auto& v : p.views()) {
    const QString name = QString::fromStdString(v.name);
    const QJsonObject value =
        writeNpy(root, dir + "params/" + name + ".npy", p.values().data() + v.offset, v.shape);
    writeNpy(root, dir + "grads/" + name + ".npy", p.grads().data() + v.offset, v.shape);
    if (tensors) tensors->append(tensorEntry(v, value));
  }
  p.grads() = keptGrads;
  return run;
}

}  // namespace

void exportWeights(Experiment& e, const ExperimentSource& source, const QString& directory,
                   const WeightsExportOptions& options) {
  Learner* first = e.learner(0);
  if (!first) throw std::invalid_argument("this experiment has no learners to export");
  if (!QDir().mkpath(directory))
    throw InputError(directory.toStdString(), 0, 0, "cannot create this directory");
  const QDir root(directory);
  const Task& task = first->task();
  const int heldOut = task.size(Split::HeldOut);
  const Split split = heldOut > 0 ? Split::HeldOut : Split::Pool;
  const int n = std::max(1, std::min(options.batch, task.size(split)));
  std::vector<int> indices(static_cast<std::size_t>(n));
  std::iota(indices.begin(), indices.end(), 0);
  const QJsonObject batch = exportBatch(root, task, split, indices);

  QJsonArray runs, tensors;
  for (int r = 0; r < e.runCount(); ++r)
    runs.append(exportRun(root, e, r, split, indices, r == 0 ? &tensors : nullptr));
  QJsonObject model;
  if (auto* tl = dynamic_cast<TransformerLearner*>(first)) model = transformerModel(tl->config());
  model["learner"] = QString::fromStdString(first->kind());

  QJsonObject m;
  m["format"] = "attent-export";
  m["version"] = 1;
  m["preset"] = QString::fromStdString(source.preset);
  m["kind"] = QString::fromStdString(source.kind);
  m["seed"] = QString::number(source.seed);
  m["step"] = double(e.currentStep());
  QJsonObject settings;
  for (const auto& [k, v] : e.settings().values())
    settings[QString::fromStdString(k)] = QString::fromStdString(v);
  m["settings"] = settings;
  m["model"] = model;
  m["layers"] = layerMap(first->parameters());
  m["tensors"] = tensors;
  m["batch"] = batch;
  m["runs"] = runs;
  m["loss"] =
      "losses.npy[i]: example i's loss (mean over its scored positions of -log softmax(logits)[target] for "
      "cross-entropy learners); grads: gradient of the mean of losses.npy";
  writeFileAtomically(root.filePath("manifest.json"), QJsonDocument(m).toJson(QJsonDocument::Indented));
}

}  // namespace attent::app
