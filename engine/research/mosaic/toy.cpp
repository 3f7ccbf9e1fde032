// The closed-form scalar toy of docs/SCIENCE.md section 4: gradient flow of (mu, nu) by RK4.
#include <cmath>

#include "engine/research/common.h"
#include "engine/research/mosaic/mosaic.h"

namespace attent {

using research::require;

namespace {
struct ToyTerms {
  double alpha, beta;
};
ToyTerms toyTerms(double mu, double nu, int m, int C) {
  // alpha = e^nu / (e^nu + m - 1) = 1 / (1 + (m-1) e^-nu), written to stay finite.
  return {1 / (1 + (m - 1) * std::exp(-nu)), 1 / (1 + (C - 1) * std::exp(-mu))};
}
}  // namespace

double mosaicToyLoss(ToyParadigm p, double mu, double nu, int m, int C) {
  const auto [a, b] = toyTerms(mu, nu, m, C);
  switch (p) {
    case ToyParadigm::SA:
    case ToyParadigm::Hybrid:
      return std::log1p((C - 1) * std::exp(-a * mu));
    case ToyParadigm::HA:
      return -a * std::log(b) + (1 - a) * std::log(double(C));
    case ToyParadigm::LVML:
      return -std::log(a * b + (1 - a) / C);
  }
  return 0;
}

void mosaicToyGradient(ToyParadigm p, double mu, double nu, int m, int C, double& dmu, double& dnu) {
  const auto [a, b] = toyTerms(mu, nu, m, C);
  const double da = a * (1 - a);  // d alpha / d nu
  switch (p) {
    case ToyParadigm::SA:
    case ToyParadigm::Hybrid: {
      const double g = 1 / (1 + (C - 1) * std::exp(-a * mu));  // softmax prob of the true class
      dmu = -(1 - g) * a;
      dnu = -(1 - g) * mu * da;
      return;
    }
    case ToyParadigm::HA:
      dmu = -a * (1 - b);
      dnu = -da * (std::log(b) + std::log(double(C)));
      return;
    case ToyParadigm::LVML: {
      const double z = a * b + (1 - a) / C;
      dmu = -a * b * (1 - b) / z;
      dnu = -da * (b - 1.0 / C) / z;
      return;
    }
  }
}

ToyTrajectory mosaicToy(ToyParadigm p, int m, int C, double horizon, int steps, double switchTime) {
  require(m >= 2 && C >= 2 && steps >= 1 && horizon > 0, "toy needs m >= 2, C >= 2, steps >= 1, horizon > 0");
  ToyTrajectory tr;
  double mu = 0, nu = 0;
  const double h = horizon / steps;
  auto record = [&](double t) {
    const auto [a, b] = toyTerms(mu, nu, m, C);
    const ToyParadigm now = p == ToyParadigm::Hybrid && t >= switchTime ? ToyParadigm::HA : p;
    tr.t.push_back(t), tr.mu.push_back(mu), tr.nu.push_back(nu), tr.alpha.push_back(a), tr.beta.push_back(b);
    tr.loss.push_back(mosaicToyLoss(now, mu, nu, m, C));
  };
  record(0);
  for (int i = 0; i < steps; ++i) {
    const double t = i * h;
    const ToyParadigm now = p == ToyParadigm::Hybrid && t >= switchTime ? ToyParadigm::HA : p;
    auto f = [&](double u, double v, double& du, double& dv) {
      mosaicToyGradient(now, u, v, m, C, du, dv);
      du = -du, dv = -dv;  // gradient flow
    };
    double k1u, k1v, k2u, k2v, k3u, k3v, k4u, k4v;
    f(mu, nu, k1u, k1v);
    f(mu + h / 2 * k1u, nu + h / 2 * k1v, k2u, k2v);
    f(mu + h / 2 * k2u, nu + h / 2 * k2v, k3u, k3v);
    f(mu + h * k3u, nu + h * k3v, k4u, k4v);
    mu += h / 6 * (k1u + 2 * k2u + 2 * k3u + k4u);
    nu += h / 6 * (k1v + 2 * k2v + 2 * k3v + k4v);
    record(t + h);
  }
  return tr;
}

namespace {
// First t where HA's nu overtakes SA's after SA led, or -1.
double nuCrossover(const ToyTrajectory& sa, const ToyTrajectory& ha) {
  bool saLed = false;
  for (std::size_t i = 1; i < sa.t.size(); ++i) {
    if (sa.nu[i] > ha.nu[i] + 1e-9) saLed = true;
    if (saLed && ha.nu[i] > sa.nu[i]) return sa.t[i];
  }
  return -1;
}

double roundUp2(double x) {  // two significant digits, upwards: 104.3 -> 110
  const double unit = std::pow(10.0, std::floor(std::log10(x)) - 1);
  return std::ceil(x / unit - 1e-9) * unit;
}
}  // namespace

MosaicToyCurves mosaicToyCurves(int m, int C) {
  require(m >= 2 && C >= 2, "toy needs m >= 2, C >= 2");
  MosaicToyCurves c;
  c.m = m, c.C = C;
  // Larger m, C move the crossover out (m = C = 20: t ~ 35; the paper's m = 100, C = 1000:
  // t ~ 133), so search with growing horizons.
  double crossover = -1;
  for (double h = 100; h <= 1e5 && crossover < 0; h *= 4)
    crossover =
        nuCrossover(mosaicToy(ToyParadigm::SA, m, C, h, 4000), mosaicToy(ToyParadigm::HA, m, C, h, 4000));
  c.horizon = crossover > 0 ? roundUp2(3 * crossover) : 100;
  c.switchTime = crossover > 0 ? crossover : 30;
  const ToyParadigm order[] = {ToyParadigm::SA, ToyParadigm::HA, ToyParadigm::LVML, ToyParadigm::Hybrid};
  for (int k = 0; k < 4; ++k)
    c.paradigms[k] = mosaicToy(order[k], m, C, c.horizon, MosaicToyCurves::kSteps, c.switchTime);
  return c;
}

}  // namespace attent
