"""Vehicle model: mass properties per phase, aeroshell, parachute, retro-rockets, touchdown limits.

Plain dataclasses in SI units; ``params()`` flattens each into the name -> value mapping that the kernels
read (every value can be dispersed per run). Masses per phase: entry mass until front-shield jettison,
minus the front shield until back-shell/parachute release, minus back shell and parachute after it;
propellant is burnt from the last.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Aeroshell:
    entry_mass_kg: float
    front_shield_mass_kg: float
    backshell_parachute_mass_kg: float
    diameter_m: float
    nose_radius_m: float
    cd_scale: float = 1.0
    lander_diameter_m: float = 1.7
    lander_cd: float = 1.05

    def params(self) -> dict[str, float]:
        return {
            "m_entry": self.entry_mass_kg,
            "m_front_shield": self.front_shield_mass_kg,
            "m_backshell_chute": self.backshell_parachute_mass_kg,
            "area_capsule": math.pi * self.diameter_m**2 / 4.0,
            "nose_radius": self.nose_radius_m,
            "cd_capsule_scale": self.cd_scale,
            "area_lander": math.pi * self.lander_diameter_m**2 / 4.0,
            "cd_lander": self.lander_cd,
        }


@dataclass(frozen=True)
class Parachute:
    """Disk-gap-band parachute. Deploy trigger: navigation-estimated Mach <= ``deploy_mach`` (or, if
    ``deploy_dynamic_pressure_pa`` > 0, estimated dynamic pressure <= that value). The drag area grows as
    (t / inflation_time)^2 after mortar fire. At full inflation the snatch load, acting with lever arm
    ``lever_arm_m`` over ``snatch_duration_s`` at the riser misalignment angle, gives the capsule a pitch-rate
    kick  q C_D S overshoot l tau sin(psi) / I  that then rings as a damped oscillator (natural frequency,
    damping ratio): the motion the gyros see."""

    diameter_m: float
    deploy_mach: float
    inflation_time_s: float
    cd_scale: float = 1.0
    deploy_dynamic_pressure_pa: float = 0.0
    inflation_overshoot: float = 1.4
    lever_arm_m: float = 1.0
    snatch_duration_s: float = 0.1
    misalignment_deg: float = 8.0
    pitch_inertia_kg_m2: float = 150.0
    oscillation_period_s: float = 1.2
    oscillation_damping_ratio: float = 0.15
    deploy_rate_deg_s: float = 0.0

    def params(self) -> dict[str, float]:
        return {
            "area_chute": math.pi * self.diameter_m**2 / 4.0,
            "deploy_mach": self.deploy_mach,
            "deploy_q": self.deploy_dynamic_pressure_pa,
            "t_inflation": self.inflation_time_s,
            "cd_chute_scale": self.cd_scale,
            "chute_overshoot": self.inflation_overshoot,
            "chute_arm": self.lever_arm_m,
            "chute_tau": self.snatch_duration_s,
            "chute_misalign": math.radians(self.misalignment_deg),
            "pitch_inertia": self.pitch_inertia_kg_m2,
            "osc_omega_n": 2.0 * math.pi / self.oscillation_period_s,
            "osc_zeta": self.oscillation_damping_ratio,
            "om_deploy": math.radians(self.deploy_rate_deg_s),
        }


@dataclass(frozen=True)
class Thrusters:
    count: int
    thrust_each_n: float
    isp_s: float
    failed: int = 0

    def params(self) -> dict[str, float]:
        return {
            "n_thrusters": float(self.count),
            "thrust_each": self.thrust_each_n,
            "isp": self.isp_s,
            "n_failed": float(self.failed),
        }


@dataclass(frozen=True)
class Touchdown:
    crush_limit_m_s: float

    def params(self) -> dict[str, float]:
        return {"crush_limit": self.crush_limit_m_s}
