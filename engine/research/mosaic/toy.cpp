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

}  // namespace attent
