"""Demo reporting data for `a4p demo`: work plans with focal points and milestones, five reporting
cycles of the A4P+ plan (2022-H1 to 2024-H1, the last one open), and the progress updates of a
set of missions and Headquarters offices with their review trail, obstacles, evidence links and a
few notifications.

Everything is derived from fixed seeds, so two databases loaded on the same day hold the same
data. Loading again creates only what is missing: existing cycles, updates and milestones are
left as they are.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import audit
from plans.models import Assignment, Deliverable, DeliverableEntity, Milestone, Plan
from plans.services import assignments_generate
from reporting.models import (
    Cycle,
    Evidence,
    Notification,
    Obstacle,
    ProgressUpdate,
    Sensitivity,
    Transition,
)

PLAN_CODE = "a4p-plus-2021-2023"
SEED = "a4p-plus-demo"

S = ProgressUpdate.State
R = ProgressUpdate.Rating
C = Obstacle.Category
V = Obstacle.Severity


def _rng(*parts: object) -> random.Random:
    """A generator of its own for each item, so that what one item draws never depends on what
    exists already or on the order things are made in."""
    return random.Random(":".join([SEED, *map(str, parts)]))  # noqa: S311 (demo data, not secrets)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _low(text: str) -> str:
    return text[:1].lower() + text[1:]


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# What each deliverable is about ---------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    topic: str  # short noun phrase: "CASEVAC"
    activity: str  # gerund phrase: "conducting CASEVAC training, exercises and stress tests"
    output: str  # the main product: "the CASEVAC remediation plan"
    counted: str  # what gets counted: "CASEVAC exercises and stress tests"
    low: int
    high: int


TOPICS: dict[str, Topic] = {
    "1.1.1": Topic(
        "strategic direction to missions",
        "reviewing and jointly monitoring the strategic documents that set the mission's direction",
        "the updated mission concept",
        "joint strategic review sessions",
        2,
        6,
    ),
    "1.1.2": Topic(
        "the political strategy",
        "updating the political strategy in line with gender, WPS and youth, peace and security "
        "commitments",
        "the revised political strategy",
        "consultations with political actors, women's and youth groups",
        4,
        18,
    ),
    "1.1.3": Topic(
        "political support from Headquarters and Member States",
        "engaging Member States at capital level and key regional partners on political solutions",
        "the Member State engagement plan",
        "capital-level and regional engagements",
        3,
        12,
    ),
    "1.2.1": Topic(
        "national and local dialogue",
        "supporting national and local dialogue initiatives with the meaningful participation of "
        "women and youth",
        "the field-office dialogue support plan",
        "local dialogue and mediation initiatives supported",
        3,
        20,
    ),
    "1.2.2": Topic(
        "Headquarters support to field political initiatives",
        "reassessing how regional desks, integrated operational teams and standby expertise "
        "support field initiatives",
        "the support reassessment note",
        "field initiatives reviewed",
        3,
        10,
    ),
    "1.3.1": Topic(
        "data and visualization in reporting to Member States",
        "using data and trend visualization in analysis and reports to Member States",
        "the data annex to the Secretary-General's reports",
        "reports with data visualizations",
        2,
        9,
    ),
    "1.3.2": Topic(
        "strategic regional analysis",
        "producing strategic regional analysis for missions",
        "the regional analytical brief series",
        "regional analytical briefs",
        2,
        8,
    ),
    "1.3.3": Topic(
        "new analytical capacities (political economy, climate security, gender analysis)",
        "building analytical capacity in political economy, climate security and gender "
        "analysis with the UN country team and the international financial institutions",
        "the analytical capacity plan",
        "joint analyses with UN country team and IFI partners",
        1,
        6,
    ),
    "2.1.1": Topic(
        "Headquarters integration mechanisms",
        "strengthening the mechanisms for integrated support across DPO entities",
        "the integrated operational team framework",
        "integrated task force meetings",
        4,
        16,
    ),
    "2.1.2": Topic(
        "integrated mission planning and CPAS",
        "developing and monitoring a gender-responsive integrated mission plan with CPAS",
        "the integrated mission plan",
        "CPAS performance assessments",
        1,
        3,
    ),
    "2.1.3": Topic(
        "crisis management and crisis leadership",
        "institutionalizing crisis management roles through the Field Mission Crisis Leadership "
        "and Integration Course and simulation exercises",
        "the crisis management simulation report",
        "crisis simulation exercises",
        1,
        4,
    ),
    "2.2.1": Topic(
        "the mission planning function",
        "strengthening the planning function so that civilian and uniformed components plan "
        "together",
        "the revised organigramme of the planning unit",
        "integrated planning sessions",
        3,
        12,
    ),
    "2.3.1": Topic(
        "gender analysis in planning and transitions",
        "integrating gender expertise and WPS analysis into plans, transitions and mandate "
        "renewals",
        "the gender analysis annex to the mission plan",
        "planning documents reviewed for gender analysis",
        3,
        12,
    ),
    "2.3.2": Topic(
        "WPS indicators in CPAS",
        "reporting on the WPS core and elective indicators through the WPS-CPAS accountability "
        "framework",
        "the WPS indicator dataset",
        "WPS indicators reported",
        8,
        20,
    ),
    "2.4.1": Topic(
        "joint analysis and integrated planning with the UN country team",
        "conducting joint analysis and integrated assessment and planning with the UN country team",
        "the joint mission-UNCT analysis",
        "joint analysis sessions with the UN country team",
        1,
        5,
    ),
    "2.4.2": Topic(
        "programmatic funding sustained through the UN country team",
        "linking assessed programmatic funding to mandate needs that the UN country team can "
        "sustain",
        "the programmatic funding review",
        "programmatic projects aligned with UN country team plans",
        3,
        14,
    ),
    "2.4.3": Topic(
        "joint planning with the Resident Coordinator's office",
        "engaging the Resident Coordinator's office on integrated delivery of mandated tasks",
        "the joint work plan with the Resident Coordinator's office",
        "joint planning meetings with the Resident Coordinator's office",
        2,
        10,
    ),
    "3.1.1": Topic(
        "women peacekeepers and uniformed gender parity",
        "increasing the deployment of women peacekeepers in line with the Uniformed Gender Parity "
        "Strategy",
        "the gender parity progress report",
        "consultations with uniformed women",
        2,
        8,
    ),
    "3.1.2": Topic(
        "women in senior mission leadership",
        "running outreach through the Global Call and the Leadership Partnering Initiative",
        "the senior leadership candidate roster",
        "women candidates added to the roster",
        8,
        30,
    ),
    "3.1.3": Topic(
        "A4P+ pledges",
        "administering Member State pledges towards the A4P+ priority areas",
        "the pledge implementation tracker",
        "pledges matched with mission requirements",
        4,
        18,
    ),
    "3.1.4": Topic(
        "Statements of Unit Requirements",
        "revising Statements of Unit Requirements for more mobile and agile capabilities",
        "the revised set of Statements of Unit Requirements",
        "Statements of Unit Requirements revised",
        3,
        12,
    ),
    "3.1.5": Topic(
        "uniformed readiness and geographical balance",
        "advancing pre-deployment readiness, language skills and geographical balance of "
        "uniformed personnel",
        "the readiness and language-skills review",
        "pre-deployment readiness assessments",
        3,
        14,
    ),
    "3.1.6": Topic(
        "Military Skill Validations and formed police unit assessments",
        "conducting Military Skill Validations and Assessments of Operational Capability",
        "the skill validation schedule",
        "skill validations and capability assessments",
        4,
        16,
    ),
    "3.1.7": Topic(
        "training support to new and emerging T/PCCs",
        "delivering Training of Trainers and Triangular Partnership Programme courses to new "
        "and emerging T/PCCs",
        "the training support plan for emerging T/PCCs",
        "training courses delivered",
        3,
        12,
    ),
    "3.1.8": Topic(
        "lessons learned on pre-deployment and deployment",
        "capturing and sharing T/PCC lessons learned and best practices",
        "the lessons-learned compendium",
        "lessons-learned reports shared with Member States",
        2,
        9,
    ),
    "3.1.9": Topic(
        "counter-IED capability",
        "strengthening IED threat analysis and developing the UN Counter-IED Strategy",
        "the UN Counter-IED Strategy",
        "IED threat assessments",
        2,
        10,
    ),
    "3.1.10": Topic(
        "standing capacities for rapid response",
        "deploying the standing police, justice and corrections capacities quickly and in a "
        "gender-responsive manner",
        "the standing capacity deployment review",
        "rapid deployments of standing capacity experts",
        2,
        9,
    ),
    "3.2.1": Topic(
        "peacekeeping-intelligence coordination",
        "establishing integrated peacekeeping-intelligence coordination mechanisms at mission "
        "headquarters and field level",
        "the mission peacekeeping-intelligence support plan",
        "field-level coordination mechanisms set up",
        1,
        6,
    ),
    "3.3.1": Topic(
        "early warning guidance and training",
        "developing gender-responsive guidance and training on Early Warning and Critical "
        "Indicators",
        "the guidance on early warning and critical indicators",
        "early warning training sessions",
        2,
        8,
    ),
    "3.3.2": Topic(
        "community engagement for early warning",
        "engaging communities to strengthen early warning and situational awareness",
        "the review of the community alert networks",
        "community alert networks strengthened",
        4,
        25,
    ),
    "3.3.3": Topic(
        "partnerships with women's and youth organizations on conflict prevention",
        "building partnerships with local women's and youth organizations for conflict "
        "prevention and early warning",
        "the partnership framework with women's and youth networks",
        "women's and youth organizations engaged",
        5,
        30,
    ),
    "3.4.1": Topic(
        "the technology collaboration network",
        "running the collaboration network that drives technology-enabled solutions",
        "the innovation network work plan",
        "network sessions and innovation challenges",
        2,
        8,
    ),
    "3.4.2": Topic(
        "mission technology plans and responsible data use",
        "putting mission technology plans and responsible data-use measures in place",
        "the mission technology plan template",
        "mission technology plans endorsed",
        2,
        9,
    ),
    "3.5.1": Topic(
        "the data literacy training framework",
        "implementing the data training framework for specialists, analysts and senior leaders",
        "the data literacy curriculum",
        "personnel trained in data literacy",
        40,
        220,
    ),
    "3.5.2": Topic(
        "data governance",
        "improving policy and mechanisms for data collection, protection, sharing, "
        "classification and retention",
        "the peacekeeping data governance policy",
        "mission data inventories completed",
        2,
        9,
    ),
    "3.5.3": Topic(
        "data talent pathways",
        "defining pathways for new data talent and reskilling existing staff",
        "the data talent pathway",
        "data posts classified or reprofiled",
        3,
        15,
    ),
    "4.1.1": Topic(
        "crimes against peacekeepers (resolution 2589)",
        "implementing Security Council resolution 2589 (2021), including the online database of "
        "crimes against peacekeepers",
        "the online database of crimes against peacekeepers",
        "cases recorded and followed up with host authorities",
        10,
        60,
    ),
    "4.1.2": Topic(
        "the SOPs on serious crimes against UN personnel",
        "implementing the standard operating procedures on preventing, investigating and "
        "prosecuting serious crimes against UN personnel",
        "the review of SOP implementation",
        "cases referred to national authorities",
        3,
        15,
    ),
    "4.2.1": Topic(
        "accommodation and facilities suited to women",
        "upgrading working and living facilities, with accommodation designed for women",
        "the accommodation upgrade programme",
        "camps with upgraded accommodation",
        3,
        14,
    ),
    "4.2.2": Topic(
        "the mental health and well-being strategy",
        "developing the gender-sensitive mental health and well-being strategy",
        "the system-wide mental health and well-being strategy",
        "well-being focal points trained",
        10,
        60,
    ),
    "4.3.1": Topic(
        "CASEVAC",
        "conducting CASEVAC training, exercises and stress tests",
        "the CASEVAC remediation plan",
        "CASEVAC exercises and stress tests",
        3,
        12,
    ),
    "4.3.2": Topic(
        "medical capabilities and forward surgical teams",
        "generating medical capabilities, including forward surgical teams for high-risk areas",
        "the medical capability gap analysis",
        "forward surgical teams deployed or upgraded",
        1,
        4,
    ),
    "4.3.3": Topic(
        "the Hospital Evaluation System",
        "implementing the Hospital Evaluation System and its recommendations",
        "the hospital evaluation follow-up plan",
        "hospital evaluations completed",
        2,
        8,
    ),
    "4.3.4": Topic(
        "telemedicine",
        "introducing telemedicine in the pilot missions",
        "the telemedicine pilot evaluation",
        "telemedicine consultations",
        40,
        400,
    ),
    "4.4.1": Topic(
        "the integrated camp defence policy",
        "developing the UN integrated camp defence policy",
        "the integrated camp defence policy",
        "camp defence assessments",
        2,
        8,
    ),
    "4.4.2": Topic(
        "force protection",
        "enhancing force protection through OMA guidelines, scenario-based exercises and "
        "remedial measures",
        "the force protection exercise programme",
        "scenario-based force protection exercises",
        3,
        14,
    ),
    "4.4.3": Topic(
        "Temporary Operating Bases",
        "reviewing the location, security and force protection of Temporary Operating Bases",
        "the review of Temporary Operating Bases",
        "Temporary Operating Base site assessments",
        3,
        15,
    ),
    "5.1.1": Topic(
        "good practices in conduct and discipline",
        "setting up a mechanism for Member States to share good practices in conduct and "
        "discipline",
        "the good-practice platform on conduct and discipline",
        "Member State exchanges on good practices",
        2,
        10,
    ),
    "5.1.2": Topic(
        "the confidential case-data mechanism",
        "establishing the confidential mechanism that gives Member States access to "
        "case-related data",
        "the confidential case-data portal",
        "Member States given access to the case-data mechanism",
        5,
        40,
    ),
    "5.1.3": Topic(
        "the Pipeline to Peacekeeping Command project",
        "preparing commanders to lead on conduct and discipline through the Pipeline to "
        "Peacekeeping Command project",
        "the Pipeline to Peacekeeping Command learning plan",
        "commanders trained",
        15,
        80,
    ),
    "5.2.1": Topic(
        "civilian harm mitigation",
        "tracking, preventing and addressing civilian harm resulting from mandated activities",
        "the civilian harm tracking mechanism",
        "operations reviewed for civilian harm risk",
        3,
        20,
    ),
    "5.3.1": Topic(
        "IPPAF and CPAS performance",
        "implementing the Integrated Peacekeeping Performance and Accountability Framework, "
        "including CPAS",
        "the IPPAF implementation report",
        "performance assessments completed",
        2,
        10,
    ),
    "5.3.2": Topic(
        "performance standards and recognition",
        "strengthening performance and selection standards, remedial action and recognition",
        "the evaluation cycle for senior uniformed leaders",
        "unit and individual evaluations completed",
        5,
        30,
    ),
    "5.3.3": Topic(
        "military and police performance evaluation",
        "rolling out the Military Performance Evaluation System and assessing UN police against "
        "the Strategic Guidance Framework",
        "the Military Performance Evaluation System",
        "unit performance evaluations",
        6,
        40,
    ),
    "5.3.4": Topic(
        "mission reviews informed by performance",
        "making sure field mission reviews draw on performance and mandate-implementation "
        "assessments",
        "the guidance note on mission reviews",
        "mission reviews informed by performance data",
        1,
        3,
    ),
    "5.4.1": Topic(
        "environmental training",
        "strengthening environmental training to reduce the footprint and manage environmental "
        "risk",
        "the environmental training package",
        "personnel trained in environmental management",
        30,
        200,
    ),
    "5.4.2": Topic(
        "the environmental impact of military operations",
        "strengthening mitigation of the environmental impact of military operations",
        "the environmental guidance for military operations",
        "unit environmental inspections",
        4,
        20,
    ),
    "6.1.1": Topic(
        "whole-of-mission strategic communications",
        "mainstreaming strategic communications into planning and operational decisions",
        "the joint communication strategy",
        "joint communication campaigns",
        2,
        8,
    ),
    "6.1.2": Topic(
        "strategic communications in senior leader compacts",
        "including strategic communications in senior leader compacts and appraisals",
        "the compact indicators on strategic communications",
        "senior leaders with communication objectives in their compacts",
        3,
        12,
    ),
    "6.1.3": Topic(
        "strategic communication training",
        "training leaders and community-facing personnel in strategic communication and in "
        "responding to mis- and disinformation",
        "the strategic communication training package",
        "personnel trained in strategic communication",
        25,
        150,
    ),
    "6.1.4": Topic(
        "data analytics in strategic communications",
        "using data analytics and visualization in communication products and digital campaigns",
        "the social media analytics dashboard",
        "data-driven digital campaigns",
        2,
        8,
    ),
    "6.1.5": Topic(
        "the visibility of WPS results",
        "amplifying women's voices and WPS results through advocacy and data-driven storytelling",
        "the WPS digital storytelling campaign",
        "WPS stories published",
        6,
        30,
    ),
    "6.1.6": Topic(
        "strategic communications outputs in CPAS",
        "including strategic communications and public information outputs in the CPAS results "
        "framework",
        "the strategic communications results framework",
        "communication outputs in the CPAS framework",
        3,
        12,
    ),
    "6.1.7": Topic(
        "military and police public information officers",
        "identifying qualified Military Public Information Officers and police communication "
        "focal points",
        "the roster of military and police public information officers",
        "officers identified and briefed",
        4,
        20,
    ),
    "6.1.8": Topic(
        "proxy communications and local influencers",
        "expanding proxy communications and non-branded messaging with local influencers",
        "the influencer engagement plan",
        "local influencers engaged",
        5,
        30,
    ),
    "6.1.9": Topic(
        "misinformation, disinformation and hate speech",
        "developing an integrated approach and guidance on misinformation, disinformation and "
        "hate speech",
        "the guidance on misinformation, disinformation and hate speech",
        "monitoring reports on misinformation and hate speech",
        4,
        24,
    ),
    "6.2.1": Topic(
        "Member States' communications on peacekeeping",
        "engaging host governments and T/PCCs on shared strategic communication objectives",
        "the joint storytelling plan with Member States",
        "joint storytelling products with Member States",
        2,
        10,
    ),
    "6.2.2": Topic(
        "host-country communication capacity",
        "supporting host-country strategic communication capacity with the UN country team",
        "the capacity-building plan for host-country communicators",
        "national communicators trained",
        10,
        60,
    ),
    "7.1.1": Topic(
        "understanding of the mandate",
        "explaining the Security Council mandate to the host government and key stakeholders",
        "the mandate outreach plan",
        "mandate outreach sessions",
        4,
        25,
    ),
    "7.1.2": Topic(
        "SOFA violations",
        "systematically recording and reporting SOFA violations",
        "the SOFA violations tracking system",
        "SOFA violations recorded and raised with the host authorities",
        5,
        45,
    ),
    "7.1.3": Topic(
        "host-country engagement and capacity",
        "strengthening the capacity and willingness of the host authorities to engage with the "
        "mission",
        "the host-country engagement framework",
        "joint initiatives with the host authorities",
        2,
        12,
    ),
}


def _topic(deliverable: Deliverable) -> Topic:
    known = TOPICS.get(deliverable.code)
    if known is not None:
        return known
    # A plan other than A4P+: build the phrases from the deliverable's own text.
    words = deliverable.text.rstrip(".").split()
    phrase = _low(" ".join(words[:8]))
    return Topic(
        phrase, _low(" ".join(words[:14])), f"the work plan for {phrase}", "activities", 2, 10
    )


# Who reports ----------------------------------------------------------------------------------

OFFICES = {
    "oma": "Office of Military Affairs (OMA)",
    "dos": "Department of Operational Support (DOS)",
    "oscm": "DOS Office of Supply Chain Management",
    "africa": "Office of the Assistant Secretary-General for Africa",
    "meap": "Office of the Assistant Secretary-General for the Middle East, Asia and the Pacific",
    "its": "DPET Integrated Training Service",
    "dpet": "Division of Policy, Evaluation and Training (DPET)",
    "iapu": "Integrated Assessment and Planning Unit (O/USG/IAPU)",
    "pd": "OROLSI Police Division",
    "scs": "ODCSS Strategic Communications Section",
    "imu": "ODCSS Information Management Unit",
    "oppfb": "DMSPC Office of Programme Planning, Finance and Budget",
    "gender": "DPO Gender Unit",
}


@dataclass(frozen=True)
class Profile:
    name: str  # as the text names the entity inside a sentence
    partners: tuple[str, ...]
    causes: tuple[str, ...]
    places: tuple[str, ...] = ()
    site: str = ""  # the mission's website
    regional_office: str = ""  # key of OFFICES
    reviewed_in_africa: bool = False
    own_office: str = ""  # key of OFFICES for the entity itself, never asked for support
    context: tuple[str, ...] = ()  # one sentence per cycle, 2022-H1 to 2024-H1
    political: tuple[str, ...] = ()  # the political moment of each cycle

    @property
    def is_mission(self) -> bool:
        return bool(self.places)


MISSION_CAUSES = (
    "movement restrictions after security incidents on the main supply routes",
    "the rotation of key military and civilian staff",
    "competing operational priorities linked to the protection of civilians",
    "the late arrival of the specialists recruited for this work",
)
HQ_CAUSES = (
    "vacant posts in the team",
    "late inputs from missions",
    "longer than planned consultations with Member States",
    "the liquidity situation and the resulting limits on travel and consultancies",
)

PROFILES: dict[str, Profile] = {
    "minusca": Profile(
        "MINUSCA",
        ("the national authorities", "the UN country team", "the Force and the police component"),
        (*MISSION_CAUSES, "the rainy season and the loss of road access to several field offices"),
        places=("Bangui", "Bria", "Kaga-Bandoro", "Bambari", "Bangassou"),
        site="https://minusca.unmissions.org/",
        regional_office="africa",
        reviewed_in_africa=True,
        context=(
            "The Republican Dialogue held in Bangui in March 2022 shaped the mission's "
            "engagement during the period.",
            "Implementation of the Joint Roadmap for Peace adopted in Luanda set the frame for "
            "the mission's political work in the period.",
            "Preparations for the constitutional referendum of July 2023 absorbed much of the "
            "mission's political and logistical capacity.",
            "The period followed the constitutional referendum of 30 July 2023, and the mission "
            "adjusted its priorities accordingly.",
            "Preparations for the local elections framed the mission's work in the period.",
        ),
        political=(
            "the follow-up to the Republican Dialogue",
            "the Luanda roadmap talks",
            "the constitutional referendum",
            "the post-referendum debate",
            "the preparations for local elections",
        ),
    ),
    "monusco": Profile(
        "MONUSCO",
        ("the national authorities", "the UN country team", "provincial governors"),
        MISSION_CAUSES,
        places=("Goma", "Bunia", "Beni", "Kinshasa", "Bukavu"),
        site="https://monusco.unmissions.org/",
        regional_office="africa",
        reviewed_in_africa=True,
        context=(
            "The resurgence of the M23 in North Kivu from March 2022 weighed on the period.",
            "The protests against the mission in Goma and Butembo in July 2022 disrupted field "
            "activities for several weeks.",
            "Continued M23 hostilities in Rutshuru and Masisi displaced large numbers of "
            "civilians during the period.",
            "The general elections of 20 December 2023 and the agreement with the Government "
            "on a disengagement plan framed the period.",
            "The first phase of the mission's disengagement, from South Kivu, was under way "
            "during the period.",
        ),
        political=(
            "the M23 crisis",
            "the tensions after the July 2022 protests",
            "the M23 hostilities",
            "the electoral period",
            "the disengagement talks",
        ),
    ),
    "unmiss": Profile(
        "UNMISS",
        ("the Transitional Government", "the UN country team", "state authorities"),
        (*MISSION_CAUSES, "flooding in Unity and Jonglei that cut road access to field sites"),
        places=("Juba", "Malakal", "Bentiu", "Bor", "Wau"),
        site="https://unmiss.unmissions.org/",
        regional_office="africa",
        reviewed_in_africa=True,
        context=(
            "Severe flooding in Unity State continued to limit access around Bentiu.",
            "The extension of the transitional period agreed in August 2022 set the political "
            "frame for the period.",
            "The arrival through Renk of people fleeing the conflict in Sudan, from April 2023, "
            "added pressure on the mission's field offices.",
            "Preparations for the elections scheduled for December 2024 gained pace in the period.",
            "Preparations for the elections scheduled for December 2024 shaped the mission's "
            "engagement with the parties.",
        ),
        political=(
            "the delays in the peace agreement's timelines",
            "the extension of the transitional period",
            "the spill-over of the Sudan conflict",
            "the pre-electoral debate",
            "the pre-electoral debate",
        ),
    ),
    "minusma": Profile(
        "MINUSMA",
        ("the transitional authorities", "the UN country team", "the Force"),
        MISSION_CAUSES,
        places=("Bamako", "Gao", "Timbuktu", "Mopti", "Kidal"),
        site="https://minusma.unmissions.org/",
        regional_office="africa",
        reviewed_in_africa=True,
        context=(
            "The announced departure of international forces from Mali changed the security "
            "environment of the mission.",
            "Restrictions on flights and contingent rotations imposed by the transitional "
            "authorities in July 2022 slowed field work.",
            "Following the transitional authorities' request of 16 June 2023 for the mission's "
            "withdrawal and the termination of the mandate by Security Council resolution 2690 "
            "(2023) on 30 June, work was reoriented towards an orderly drawdown.",
            "MINUSMA completed its withdrawal from Mali on 31 December 2023.",
            "MINUSMA's mandate ended on 31 December 2023 and the mission is in liquidation.",
        ),
        political=(
            "the transition timetable",
            "the restrictions on rotations",
            "the request for the mission's withdrawal",
            "the withdrawal",
            "the liquidation",
        ),
    ),
    "unifil": Profile(
        "UNIFIL",
        ("the Lebanese Armed Forces", "the UN country team", "municipal authorities"),
        MISSION_CAUSES[1:],
        places=("Naqoura", "Sector East", "Sector West"),
        site="https://unifil.unmissions.org/",
        regional_office="meap",
        context=(
            "Lebanon's economic crisis continued to affect the capacity of national partners.",
            "The maritime boundary agreement between Lebanon and Israel of October 2022 was "
            "concluded during the period.",
            "The continuing economic crisis and the presidential vacancy limited decisions by "
            "national partners.",
            "The exchanges of fire across the Blue Line since 8 October 2023 restricted "
            "activities in the area of operations.",
            "Continued exchanges of fire across the Blue Line restricted movement and field "
            "activities throughout the period.",
        ),
        political=(
            "the economic crisis",
            "the maritime boundary talks",
            "the presidential vacancy",
            "the hostilities across the Blue Line",
            "the hostilities across the Blue Line",
        ),
    ),
    "dpo-oma": Profile(
        "OMA",
        ("troop-contributing countries", "Force Headquarters in missions", "DOS"),
        HQ_CAUSES,
        own_office="oma",
    ),
    "dpo-orolsi": Profile(
        "OROLSI",
        (
            "police-contributing countries",
            "the rule of law components of missions",
            "the Standing Police Capacity",
        ),
        HQ_CAUSES,
    ),
    "dpo-orolsi-pd": Profile(
        "the Police Division",
        (
            "police-contributing countries",
            "Police Commissioners in missions",
            "the Standing Police Capacity",
        ),
        HQ_CAUSES,
        own_office="pd",
    ),
    "dpo-dpet": Profile(
        "DPET",
        (
            "mission planning and evaluation officers",
            "the Integrated Training Service",
            "Member States",
        ),
        HQ_CAUSES,
        own_office="dpet",
    ),
    "odcss": Profile(
        "ODCSS",
        (
            "mission Chief Information Technology Officers",
            "DOS",
            "the Office of Information and Communications Technology",
        ),
        HQ_CAUSES,
    ),
    "odcss-scs": Profile(
        "the Strategic Communications Section",
        (
            "mission strategic communications units",
            "the Department of Global Communications",
            "Member States",
        ),
        HQ_CAUSES,
        own_office="scs",
    ),
    "dos": Profile(
        "DOS",
        (
            "mission support components",
            "the Division of Healthcare Management and Occupational Safety and Health",
            "troop- and police-contributing countries",
        ),
        HQ_CAUSES,
        own_office="dos",
    ),
    "dmspc": Profile(
        "DMSPC",
        (
            "the Conduct and Discipline Service",
            "mission conduct and discipline teams",
            "Member States",
        ),
        HQ_CAUSES,
    ),
    "dpo-opsp": Profile(
        "OPSP",
        ("mission leadership", "the regional divisions", "Member States"),
        HQ_CAUSES,
    ),
    "asg-africa": Profile(
        "the Office of the ASG for Africa",
        (
            "the African Union Commission",
            "the integrated operational teams",
            "Heads of Mission in Africa",
        ),
        HQ_CAUSES,
        reviewed_in_africa=True,
        own_office="africa",
    ),
    "dpo-gender-unit": Profile(
        "the Gender Unit",
        ("mission gender advisers", "UN Women", "women's civil society networks"),
        HQ_CAUSES,
        own_office="gender",
    ),
}
DEMO_ENTITIES = tuple(PROFILES)
FOCAL_USERS = {"minusca": "focal.minusca", "dpo-oma": "focal.oma"}
VIA_UNITS = {
    "mission-scpi-units": "strategic communications and public information unit",
    "mission-force": "Force headquarters",
    "mission-planning-units": "planning unit",
}
# Two deliverables that an entity stopped working on, with the cycle it stopped in.
DISCONTINUED = {("6.1.8", "unmiss"): 2, ("2.4.2", "monusco"): 4}


# Cycles ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleSpec:
    code: str
    start: dt.date
    end: dt.date
    state: str
    period: str  # as the text names it
    next_period: str


PAST_CYCLES = (
    CycleSpec(
        "2022-H1",
        dt.date(2022, 1, 1),
        dt.date(2022, 6, 30),
        Cycle.State.PUBLISHED,
        "the first half of 2022",
        "the second half of 2022",
    ),
    CycleSpec(
        "2022-H2",
        dt.date(2022, 7, 1),
        dt.date(2022, 12, 31),
        Cycle.State.PUBLISHED,
        "the second half of 2022",
        "the first half of 2023",
    ),
    CycleSpec(
        "2023-H1",
        dt.date(2023, 1, 1),
        dt.date(2023, 6, 30),
        Cycle.State.PUBLISHED,
        "the first half of 2023",
        "the second half of 2023",
    ),
    CycleSpec(
        "2023-H2",
        dt.date(2023, 7, 1),
        dt.date(2023, 12, 31),
        Cycle.State.CLOSED,
        "the second half of 2023",
        "the first half of 2024",
    ),
)
OPEN_CYCLE = CycleSpec(
    "2024-H1",
    dt.date(2024, 1, 1),
    dt.date(2024, 6, 30),
    Cycle.State.OPEN,
    "the first half of 2024",
    "the second half of 2024",
)
CYCLES = (*PAST_CYCLES, OPEN_CYCLE)


def _cycle_dates(spec: CycleSpec, today: dt.date) -> dict[str, dt.date]:
    if spec.state == Cycle.State.OPEN:
        return {
            "opens_on": today - dt.timedelta(days=21),
            "due_on": today + dt.timedelta(days=5),
            "closes_on": today + dt.timedelta(days=28),
        }
    return {
        "opens_on": spec.end - dt.timedelta(days=14),
        "due_on": spec.end + dt.timedelta(days=21),
        "closes_on": spec.end + dt.timedelta(days=42),
    }


# Ratings over time ----------------------------------------------------------------------------


def _trajectory(deliverable: str, entity: str) -> list[str]:
    """The rating of an assignment in each of the five cycles: not started, then on track or
    delayed (with the odd off-track spell), then, for many, completed."""
    rng = _rng("trajectory", deliverable, entity)
    start = rng.choices((0, 1, 2), weights=(72, 22, 6))[0]
    finish: int | None = rng.choices((2, 3, 4, None), weights=(15, 30, 15, 40))[0]
    if finish is not None and finish <= start:
        finish = start + 1 if start < 3 and rng.random() < 0.5 else None
    trouble_at = rng.randint(start, (finish or 5) - 1) if rng.random() < 0.15 else None
    ratings: list[str] = []
    for index in range(len(CYCLES)):
        if index < start:
            rating = R.NOT_STARTED
        elif finish is not None and index >= finish:
            rating = R.COMPLETED
        elif index == trouble_at:
            rating = R.OFF_TRACK
        elif ratings and ratings[-1] in (R.DELAYED, R.OFF_TRACK):
            rating = R.DELAYED if rng.random() < 0.5 else R.ON_TRACK
        else:
            rating = R.DELAYED if rng.random() < 0.22 else R.ON_TRACK
        ratings.append(rating)
    stopped = DISCONTINUED.get((deliverable, entity))
    if stopped is not None:
        ratings[stopped:] = [R.DISCONTINUED] * (len(CYCLES) - stopped)
    if entity == "minusma":
        # The withdrawal: what was not finished by the end of 2023 was closed.
        if ratings[2] == R.ON_TRACK and rng.random() < 0.4:
            ratings[2] = R.DELAYED
        if ratings[3] != R.COMPLETED:
            ratings[3] = R.COMPLETED if rng.random() < 0.35 else R.DISCONTINUED
        ratings[4] = ratings[3]
    return ratings


# Text -----------------------------------------------------------------------------------------

OPENERS: dict[str, tuple[str, ...]] = {
    R.NOT_STARTED: (
        "{Who} has not yet started work on {topic}.",
        "{Who} did not start activities on {topic} in {period}.",
    ),
    R.ON_TRACK: (
        "During {period}, {who} continued {activity}{place_phrase}.",
        "{Who} made steady progress on {topic} in {period}.",
        "Work on {topic} advanced as planned in {period}.",
    ),
    R.DELAYED: (
        "Progress on {topic} was slower than planned in {period}.",
        "{Who} continued {activity}{place_phrase}, but behind the schedule of its work plan.",
        "Work on {topic} is delayed.",
    ),
    R.OFF_TRACK: (
        "{Who} is off track on {topic}.",
        "Work on {topic} stalled in {period}.",
    ),
    "completed_new": (
        "{Who} completed its work on {topic} in {period}.",
        "With {output} finalized in {period}, {who} has completed its work on {topic}.",
    ),
    R.COMPLETED: (
        "Work on {topic} remains completed for {who}.",
        "No new milestones on {topic} fell in {period}; the deliverable remains completed.",
    ),
    "discontinued_new": ("Work on {topic} was discontinued in {period}.",),
    R.DISCONTINUED: ("The deliverable on {topic} remains discontinued for {who}.",),
}
BODIES: dict[str, tuple[str, ...]] = {
    R.NOT_STARTED: (
        "The activity is sequenced after {output}, which the lead office is still finalizing; "
        "preparatory discussions with {partner} are scheduled for {next_period}.",
        "No funds were allocated to {topic} in the current budget period, and the requirement "
        "has been included in the next budget proposal.",
        "A focal point for {topic} was designated only at the end of the period, after the "
        "rotation of the responsible officer.",
    ),
    R.ON_TRACK: (
        "Results for the period: {n} {counted}{place_phrase}, against a target of {target}.",
        "A draft of {output} was shared with {partner} for comments and is on schedule for "
        "{next_period}.",
        "Regular coordination with {partner} kept the work-plan milestones on schedule.",
        "Comments from {partner} were incorporated into {output}, which is now in its final "
        "review.",
    ),
    R.DELAYED: (
        "Results fell short of the plan, with {n} {counted}{place_phrase} against a target of "
        "{target}, and {output} slipped to {next_period}.",
        "The delay is mainly due to {cause}; {output} is now expected in {next_period}.",
        "Consultations with {partner} took longer than foreseen because of {other_cause}.",
    ),
    R.OFF_TRACK: (
        "{Cause} halted most activities: the period closed with {n} {counted} against a target "
        "of {target}.",
        "{Output} cannot be delivered as scheduled without additional support, and a revised "
        "timeline has been proposed to the planning unit.",
    ),
    "completed_new": (
        "{Output} was finalized and endorsed {endorser}; over the life of the deliverable the "
        "work counted {n} {counted}.",
        "Follow-up continues through the regular work of {partner} and is monitored through the "
        "usual reporting.",
    ),
    R.COMPLETED: (
        "{Who} continues to apply {output} in its day-to-day work; no further A4P+ action is "
        "planned beyond routine monitoring.",
        "Results are sustained, with {n} {counted} in {period} as part of regular work.",
    ),
    "discontinued_new": (
        "Following a review with the planning unit, {output} was judged no longer relevant to "
        "the revised priorities; related work continues under the regular programme.",
        "The work was merged into a broader initiative with {partner}, and this line of the work "
        "plan was closed to avoid double reporting.",
    ),
    R.DISCONTINUED: ("No activity was reported in {period}.",),
}
ACHIEVEMENTS: dict[str, tuple[str, ...]] = {
    R.ON_TRACK: (
        "{N} {counted}{place_phrase}.",
        "{Output} drafted and shared with {partner}.",
        "Joint working session with {partner} on {topic}.",
    ),
    R.DELAYED: (
        "{N} {counted}{place_phrase}.",
        "First draft of {output} completed.",
        "Working arrangements on {topic} agreed with {partner}.",
    ),
    R.OFF_TRACK: ("Outline of {output} agreed with {partner}.",),
    "completed_new": (
        "{Output} finalized and endorsed {endorser}.",
        "{N} {counted} over the life of the deliverable.",
        "Lessons on {topic} shared through the A4P+ focal-point network.",
    ),
    R.COMPLETED: ("{N} {counted} in {period} as part of regular work.",),
    "discontinued_new": ("Work done so far on {topic} documented and handed over to {partner}.",),
}
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    R.NOT_STARTED: (
        "Designate a focal point and start {activity} in {next_period}.",
        "Confirm funding for {topic} in the next budget proposal.",
        "Agree the first milestones on {topic} with {partner}.",
    ),
    R.ON_TRACK: (
        "Finalize {output} by the end of {next_period}.",
        "Continue {activity} and report results in the next cycle.",
        "Brief {partner} on progress and agree the next milestones.",
    ),
    R.DELAYED: (
        "Close the gap on {counted} (target {target}) by the end of {next_period}.",
        "Agree a revised timeline for {output} with {partner}.",
    ),
    R.OFF_TRACK: (
        "Agree a recovery plan with the planning unit, including the support requested.",
        "Re-sequence the remaining milestones on {topic} and report on the revised plan in the "
        "next cycle.",
    ),
    "completed_new": (
        "Monitor the application of {output}; no further A4P+ milestones.",
        "Share lessons on {topic} with other missions and offices.",
    ),
    R.COMPLETED: ("Routine monitoring only.",),
    "discontinued_new": ("None: this line of the work plan is closed for {who}.",),
    R.DISCONTINUED: ("None.",),
}
WPS_MISSION = (
    "Women made up {pct}% of participants in activities on {topic}{place_phrase}, against "
    "{pct_prev}% in the previous period.",
    "The mission's gender adviser reviewed {output} so that it reflects the priorities raised "
    "by women's organizations in {place}.",
    "Consultations with women's groups in {place} informed the choice of activities; a separate "
    "session was held with young women.",
)
WPS_HQ = (
    "Sex-disaggregated data are now collected for all {counted}; women accounted for {pct}% in "
    "{period}.",
    "{Output} was reviewed against the plan's WPS commitments by gender specialists.",
    "Women accounted for {pct}% of participants in the events on {topic} organized by {who}.",
)
WPS_PARITY = (
    "Women made up {pct}% of the military staff officers and military observers deployed in "
    "{period}, against {pct_prev}% a year earlier; consultations with uniformed women point to "
    "accommodation and career barriers.",
)
RETURN_COMMENTS = (
    "Please quantify progress on {topic}: the narrative lists activities but not results "
    "against the work-plan milestones.",
    "The rating does not match the narrative: milestones on {topic} slipped to the next period. "
    "Please consider 'Delayed' or explain why the work is still on track.",
    "Please add sex-disaggregated figures for the {counted} and a sentence on WPS.",
    "Please link the evidence for {output} (meeting record, report or press release).",
    "Please focus on results achieved in {period}; activities from the previous period are "
    "already reported.",
    # Last: only where the update reports an obstacle.
    "The obstacle needs a mitigation measure and the name of the office you are asking for "
    "support.",
)
VALIDATE_COMMENTS = (
    "Validated. Clear account of progress on {topic}.",
    "Validated; please keep the evidence on {output} up to date in the next cycle.",
    "Validated with thanks: good use of figures.",
    "",
    "",
    "",
)


@dataclass
class Writer:
    """The text of one update, drawn from templates with the facts of its deliverable, entity
    and cycle."""

    rng: random.Random
    values: dict[str, Any] = field(default_factory=dict)

    def say(self, template: str) -> str:
        return template.format(**self.values)

    def pick(self, pool: Sequence[str], count: int = 1) -> list[str]:
        chosen = self.rng.sample(list(pool), min(count, len(pool)))
        return [self.say(t) for t in chosen]


def _values(
    rng: random.Random,
    topic: Topic,
    profile: Profile,
    who: str,
    index: int,
    role: str,
    leads: Sequence[str],
) -> dict[str, Any]:
    spec = CYCLES[index]
    places = rng.sample(list(profile.places), min(len(profile.places), rng.randint(1, 3)))
    n_target = rng.randint(topic.low, topic.high)
    n_done = max(topic.low // 2, 1, round(n_target * rng.uniform(0.35, 0.7)))
    output = topic.output
    cause, other_cause = rng.sample(list(profile.causes), 2)
    pct = rng.randint(11, 38)
    return {
        "who": who,
        "Who": _cap(who),
        "topic": topic.topic,
        "activity": topic.activity,
        "output": output,
        "Output": _cap(output),
        "counted": topic.counted,
        "n": n_done,
        "N": n_done if n_done > 9 else _cap(NUMBERS[n_done]),
        "target": n_target,
        "period": spec.period,
        "next_period": spec.next_period,
        "place_phrase": f" in {_join(places)}" if places else "",
        "place": places[0] if places else "",
        "partner": rng.choice(profile.partners),
        "cause": cause,
        "Cause": _cap(cause),
        "other_cause": other_cause,
        "endorser": "by the Head of Mission" if profile.is_mission else "by senior management",
        "pct": pct,
        "pct_prev": pct - rng.randint(1, 5),
        "leads": _join(leads),
        "cycle": spec.code,
        "role": role,
    }


NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass
class Text:
    narrative: str = ""
    achievements: str = ""
    next_steps: str = ""
    wps_note: str = ""


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _write(
    w: Writer,
    *,
    rating: str,
    previous: str | None,
    index: int,
    entity: str,
    profile: Profile,
    wps: bool,
    deliverable: str,
    role: str,
) -> Text:
    rng = w.rng
    key = rating
    if rating == R.COMPLETED and previous != R.COMPLETED:
        key = "completed_new"
    if rating == R.DISCONTINUED and previous != R.DISCONTINUED:
        key = "discontinued_new"
    if entity == "minusma" and index >= 3:
        return _write_minusma(w, rating=rating, previous=previous, index=index)
    several = key in (R.ON_TRACK, R.DELAYED, R.OFF_TRACK, "completed_new") and rng.random() < 0.6
    sentences = w.pick(OPENERS[key]) + w.pick(BODIES[key], 2 if several else 1)
    if role == DeliverableEntity.Role.SUPPORT and w.values["leads"] and rng.random() < 0.6:
        sentences.append(w.say("{Who} contributes to this deliverable in support of {leads}."))
    chance = 0.6 if entity == "unifil" and index >= 3 else 0.3
    if entity == "minusma" and index == 2:
        chance = 1.0  # the request for withdrawal changed every line of the work plan
    if profile.context and rng.random() < chance:
        sentences.append(profile.context[index])
    text = Text(narrative=" ".join(sentences))
    if key in ACHIEVEMENTS:
        text.achievements = _bullets(w.pick(ACHIEVEMENTS[key], rng.randint(1, 3)))
    text.next_steps = _bullets(w.pick(NEXT_STEPS[key], rng.randint(1, 2)))
    if rating not in (R.NOT_STARTED, R.DISCONTINUED) and (wps or rng.random() < 0.2):
        pool: tuple[str, ...]
        if deliverable == "3.1.1" and not profile.is_mission:
            pool = WPS_PARITY
            w.values["pct"] = rng.randint(15, 23)  # the share of women among staff officers
            w.values["pct_prev"] = w.values["pct"] - rng.randint(1, 3)
        else:
            pool = WPS_MISSION if profile.is_mission else WPS_HQ
        text.wps_note = w.pick(pool)[0]
    return text


def _write_minusma(w: Writer, *, rating: str, previous: str | None, index: int) -> Text:
    """MINUSMA's last two reports: the withdrawal by 31 December 2023, then liquidation."""
    if index == 4:
        return Text(
            narrative=w.say(
                "MINUSMA's mandate ended on 31 December 2023 and the mission is in liquidation. "
                "This closing entry confirms the 2023-H2 status of the work on {topic}; no "
                "further reporting is expected."
            ),
            next_steps="- None: remaining administrative tasks rest with the liquidation team.",
        )
    if rating == R.COMPLETED and previous == R.COMPLETED:
        narrative = w.say(
            "This deliverable was completed before the withdrawal. The records on {topic} were "
            "archived during the drawdown, and lessons were recorded for the mission's "
            "after-action review."
        )
        achievements = ["Records on {topic} archived for the after-action review."]
    elif rating == R.COMPLETED:
        narrative = w.say(
            "Before the mission's withdrawal was completed on 31 December 2023, MINUSMA "
            "finalized its work on {topic}. {Output} and the related files were handed over to "
            "the UN country team and, where relevant, to the Malian authorities."
        )
        achievements = [
            "{Output} finalized before the withdrawal.",
            "Handover of the files on {topic} to the UN country team.",
        ]
    else:
        narrative = w.say(
            "Work on {topic} was discontinued as MINUSMA withdrew from Mali under Security "
            "Council resolution 2690 (2023). The withdrawal from {place_list} between July and "
            "December 2023 left no time to complete {output}; material and contacts were handed "
            "over to the UN country team so that partners can take the work forward."
        )
        achievements = [
            "Handover of material and contacts on {topic} to the UN country team.",
            "Lessons on {topic} recorded for the after-action review.",
        ]
    return Text(
        narrative=narrative,
        achievements=_bullets([w.say(a) for a in achievements]),
        next_steps="- None: MINUSMA's mandate ended on 31 December 2023; remaining tasks pass "
        "to the liquidation team.",
    )


def _half_written(text: Text) -> Text:
    """A draft the author has started: the first sentences of the narrative only."""
    first = text.narrative.split(". ")[0].rstrip(".") + "."
    return Text(narrative=first)


# Obstacles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObstacleText:
    description: str
    mitigation: str
    support: str
    offices: tuple[str, ...]  # keys of OFFICES, the first that is not the entity itself


OBSTACLES: dict[str, ObstacleText] = {
    C.SECURITY: ObstacleText(
        "Security incidents around {place} restricted the movement of staff working on {topic}; "
        "{k} planned field activities were postponed.",
        "Activities were moved to locations with safer access, and part of the work was done "
        "remotely with local partners.",
        "Advice on force protection for field activities on {topic}.",
        ("oma", "dos"),
    ),
    C.HOST_COUNTRY: ObstacleText(
        "Authorizations from the host authorities for activities on {topic} were delayed, "
        "including flight clearances and access to some areas.",
        "The issue was raised at the monthly meeting with the government liaison and recorded "
        "for the SOFA violations report.",
        "Engagement with the host country's permanent mission in New York.",
        ("regional",),
    ),
    C.POLITICAL: ObstacleText(
        "Political tensions around {political} slowed agreement with counterparts on {topic}.",
        "Engagement continued at technical level, and senior leadership raised the matter with "
        "the counterparts concerned.",
        "Political messaging by Headquarters in contacts with the authorities and key Member "
        "States.",
        ("regional",),
    ),
    C.RESOURCES: ObstacleText(
        "The liquidity situation and budget reductions left the activities on {topic} without "
        "the funds planned for {period}.",
        "Activities were re-prioritized and some were combined with other programmes.",
        "Bridging or extrabudgetary funds for {topic}.",
        ("oppfb", "dos"),
    ),
    C.CAPACITY: ObstacleText(
        "Posts supporting {topic} stayed vacant for most of the period, and the remaining staff "
        "covered several functions.",
        "Tasks were redistributed and a temporary assignment was requested.",
        "Temporary deployment of an expert on {topic}.",
        ("its", "iapu", "pd"),
    ),
    C.COORDINATION: ObstacleText(
        "Overlapping requests from several offices on {topic} duplicated work and delayed "
        "replies to missions.",
        "A single entry point for requests on {topic} was agreed with the offices concerned.",
        "Clarification of lead responsibilities for {topic}.",
        ("iapu", "dpet"),
    ),
    C.LOGISTICS: ObstacleText(
        "Road closures and limited air assets delayed the delivery of equipment and the movement "
        "of teams for {topic}.",
        "Movements were re-planned around the dry season and air assets were shared with other "
        "sections.",
        "Priority air tasking and procurement support.",
        ("oscm", "dos"),
    ),
    C.POLICY: ObstacleText(
        "Guidance on {topic} is still awaited, so {output} cannot be finalized.",
        "An interim approach was agreed with the lead office and will be aligned once the "
        "guidance is issued.",
        "Issuance of the pending guidance on {topic}.",
        ("dpet", "iapu"),
    ),
}
MISSION_CATEGORIES: dict[str, float] = {
    C.SECURITY: 3,
    C.HOST_COUNTRY: 2,
    C.POLITICAL: 2,
    C.LOGISTICS: 2,
    C.CAPACITY: 2,
    C.RESOURCES: 1,
    C.COORDINATION: 1,
    C.POLICY: 1,
}
HQ_CATEGORIES: dict[str, float] = {
    C.RESOURCES: 3,
    C.CAPACITY: 3,
    C.COORDINATION: 3,
    C.POLICY: 2,
    C.POLITICAL: 1,
}
SEVERITIES = (V.LOW, V.MEDIUM, V.HIGH, V.CRITICAL)


def _categories(entity: str, profile: Profile) -> dict[str, float]:
    weights = dict(MISSION_CATEGORIES if profile.is_mission else HQ_CATEGORIES)
    if entity == "unifil":
        weights.pop(C.LOGISTICS)  # no rainy season nor road closures in South Lebanon
    return weights


OBSTACLE_CHANCE: dict[str, float] = {
    R.NOT_STARTED: 0.3,
    R.ON_TRACK: 0.15,
    R.DELAYED: 0.65,
    R.OFF_TRACK: 0.95,
    R.COMPLETED: 0.04,
    R.DISCONTINUED: 0.3,
}


@dataclass(frozen=True)
class Chronic:
    """An obstacle that comes back cycle after cycle for one assignment."""

    category: str
    first: int
    last: int
    severities: tuple[str, ...]


def _chronic(deliverable: str, entity: str, profile: Profile) -> Chronic | None:
    rng = _rng("chronic", deliverable, entity)
    if entity == "unifil" and rng.random() < 0.45:
        return Chronic(C.SECURITY, 3, 4, (V.HIGH, rng.choice((V.HIGH, V.CRITICAL))))
    if rng.random() >= 0.14:
        return None
    weights = _categories(entity, profile)
    category = rng.choices(list(weights), weights=list(weights.values()))[0]
    first = rng.randint(0, 2)
    last = min(first + rng.randint(1, 2), 4)
    level = rng.randint(1, 2)
    path = []
    for _ in range(first, last + 1):
        path.append(SEVERITIES[level])
        level = max(0, min(3, level + rng.choice((-1, 0, 1, 1))))
    return Chronic(category, first, last, tuple(path))


def _obstacles(
    *,
    rng: random.Random,
    values: dict[str, Any],
    rating: str,
    index: int,
    entity: str,
    profile: Profile,
    chronic: Chronic | None,
) -> list[Obstacle]:
    made: list[Obstacle] = []
    own = profile.own_office
    regional = profile.regional_office or "africa"

    def office(keys: tuple[str, ...]) -> str:
        for key in keys:
            key = regional if key == "regional" else key
            if key != own:
                return OFFICES[key]
        return OFFICES["iapu"]

    def build(category: str, severity: str, recurring: bool) -> Obstacle:
        text = OBSTACLES[category]
        fill = {
            **values,
            "k": rng.randint(2, 6),
            "political": profile.political[index]
            if profile.political
            else "the budget negotiations in the Fifth Committee",
        }
        description = text.description.format(**fill)
        if recurring:
            description = "As reported in the previous cycle, " + _low(description)
        asks = severity in (V.HIGH, V.CRITICAL) or rng.random() < 0.5
        escalate = (severity == V.CRITICAL and rng.random() < 0.6) or (
            severity == V.HIGH and rng.random() < 0.06
        )
        return Obstacle(
            category=category,
            severity=severity,
            description=description,
            mitigation=text.mitigation.format(**fill) if rng.random() < 0.9 else "",
            support_requested=text.support.format(**fill) if asks else "",
            support_from=office(text.offices) if asks else "",
            escalate=escalate,
        )

    if entity == "minusma" and index == 3 and rng.random() < 0.35:
        made.append(
            Obstacle(
                category=C.LOGISTICS,
                severity=rng.choice((V.HIGH, V.CRITICAL)),
                description=(
                    "Convoys leaving the northern camps were attacked or blocked, which "
                    "compressed the timetable for closing the work on {topic}."
                ).format(**values),
                mitigation="Handover tasks were re-sequenced and part of the records were moved "
                "by air to Bamako.",
                support_requested="Priority air assets for the last movements out of the north.",
                support_from=OFFICES["dos"],
                escalate=rng.random() < 0.4,
            )
        )
    if rating == R.COMPLETED:
        chronic = None  # a finished deliverable carries no standing obstacle
    if chronic is not None and chronic.first <= index <= chronic.last:
        severity = chronic.severities[index - chronic.first]
        made.append(build(chronic.category, severity, recurring=index > chronic.first))
    elif rng.random() < OBSTACLE_CHANCE[rating]:
        weights = _categories(entity, profile)
        category = rng.choices(list(weights), weights=list(weights.values()))[0]
        bump = 1 if rating == R.OFF_TRACK else 0
        severity = SEVERITIES[min(3, rng.choices((0, 1, 2, 3), weights=(3, 4, 2, 0.6))[0] + bump)]
        made.append(build(category, severity, recurring=False))
    return made


# Evidence -------------------------------------------------------------------------------------

PKO = "https://peacekeeping.un.org/en/"


def _evidence_links(
    *,
    rng: random.Random,
    deliverable: str,
    entity: str,
    profile: Profile,
    values: dict[str, Any],
    wps: bool,
) -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = []
    if profile.site:
        links.append(
            (f"{profile.name} news on {values['topic']} ({values['cycle']})", profile.site)
        )
        links.append((f"{profile.name} mission page", f"{PKO}mission/{entity}"))
    if wps:
        links.append(("Women in peacekeeping", f"{PKO}women-peacekeeping"))
    if deliverable.startswith("5.1."):
        links.append(("Standards of conduct", f"{PKO}standards-of-conduct"))
    if deliverable.startswith("5.2."):
        links.append(("Protecting civilians", f"{PKO}protecting-civilians"))
    if entity in ("dpo-oma",) or deliverable in ("4.4.2", "4.4.3", "5.4.2"):
        links.append(("UN military in peacekeeping", f"{PKO}military"))
    if entity in ("dpo-orolsi", "dpo-orolsi-pd"):
        links.append(("United Nations Police", f"{PKO}un-police"))
    links.append(("Action for Peacekeeping (A4P and A4P+)", f"{PKO}action-for-peacekeeping-a4p"))
    return rng.sample(links, 1 if rng.random() < 0.75 else min(2, len(links)))


# Time -----------------------------------------------------------------------------------------


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _schedule(
    rng: random.Random, *, start: dt.date, gaps: Sequence[int], first: dt.date, last: dt.date
) -> list[dt.datetime]:
    """Working-hour moments `gaps` days apart from `start`, squeezed into the days from `first`
    to `last` when they would run past it, always in order."""
    days = [start]
    for gap in gaps:
        days.append(days[-1] + dt.timedelta(days=gap))
    if days[-1] > last:
        span, room = (days[-1] - first).days, max(0, (last - first).days)
        days = [first + dt.timedelta(days=(day - first).days * room // span) for day in days]
    moments: list[dt.datetime] = []
    for day in days:
        moment = _at(day, rng.randint(8, 17)) + dt.timedelta(minutes=rng.randrange(0, 60, 5))
        if moments and moment <= moments[-1]:
            moment = moments[-1] + dt.timedelta(minutes=rng.randrange(20, 120, 5))
        moments.append(moment)
    return moments


# Milestones -----------------------------------------------------------------------------------

MILESTONE_TITLES = (
    "Baseline assessment of {topic}{place_phrase}",
    "Consultation with {partner} on {topic}",
    "Draft of {output} shared for comment",
    "{Output} finalized and endorsed",
)


def _milestones(assignment: Assignment, story_day: dt.date) -> list[Milestone]:
    code, entity = assignment.deliverable.code, assignment.entity.code
    rng = _rng("milestones", code, entity)
    topic = _topic(assignment.deliverable)
    profile = PROFILES.get(entity)
    place = rng.choice(profile.places) if profile and profile.places else ""
    values = {
        "topic": topic.topic,
        "output": topic.output,
        "Output": _cap(topic.output),
        "place_phrase": f" in {place}" if place else "",
        "partner": rng.choice(profile.partners) if profile else "the lead office",
    }
    count = rng.choice((2, 3))
    titles = [
        MILESTONE_TITLES[0 if rng.random() < 0.5 else 1],
        MILESTONE_TITLES[2],
        MILESTONE_TITLES[3],
    ]
    if count == 2:
        titles = [titles[0], titles[2]] if rng.random() < 0.5 else titles[1:]
    ratings = _trajectory(code, entity)
    dues = sorted(rng.sample(range(34), count))  # months from January 2022
    made: list[Milestone] = []
    for title, month in zip(titles, dues, strict=True):
        due = dt.date(2022 + month // 12, month % 12 + 1, rng.choice((15, 28)))
        half = min(4, max(0, (due.year - 2022) * 2 + (due.month > 6)))
        rating = ratings[half]
        completed_on = None
        withdrawn = entity == "minusma" and due > dt.date(2023, 6, 30) and rating != R.COMPLETED
        if withdrawn or rating == R.DISCONTINUED:
            status = Milestone.Status.CANCELLED
        elif due <= story_day:
            late = rating in (R.DELAYED, R.OFF_TRACK, R.NOT_STARTED)
            if rng.random() < (0.45 if late else 0.9):
                status = Milestone.Status.DONE
                completed_on = min(
                    due + dt.timedelta(days=rng.randint(-10, 25 if late else 5)), story_day
                )
            else:
                status = (
                    Milestone.Status.CANCELLED
                    if rng.random() < 0.2
                    else Milestone.Status.IN_PROGRESS
                )
        else:
            status = (
                Milestone.Status.IN_PROGRESS if rng.random() < 0.4 else Milestone.Status.PLANNED
            )
        made.append(
            Milestone(
                assignment=assignment,
                title=title.format(**values)[:300],
                due_date=due,
                status=status,
                completed_on=completed_on,
            )
        )
    return made


# The whole demo -------------------------------------------------------------------------------


@dataclass
class Step:
    action: str
    to_state: str
    actor: User | None
    comment: str = ""


def _workflow(
    rng: random.Random,
    *,
    state: str,
    author: User | None,
    reviewer: User | None,
    values: dict[str, Any],
    may_return: bool = True,
    has_obstacles: bool = False,
) -> list[Step]:
    """The steps that lead from a draft to `state`."""
    if state == S.DRAFT:
        return []
    steps = [Step("submit", S.SUBMITTED, author)]
    returned = state in (S.RETURNED, S.RESUBMITTED) or (
        state == S.VALIDATED and may_return and rng.random() < 0.2
    )
    if returned:
        pool = RETURN_COMMENTS if has_obstacles else RETURN_COMMENTS[:-1]
        comment = rng.choice(pool).format(**values)
        steps.append(Step("return", S.RETURNED, reviewer, comment))
        if state != S.RETURNED:
            steps.append(Step("resubmit", S.RESUBMITTED, author))
    if state == S.VALIDATED:
        steps.append(
            Step("validate", S.VALIDATED, reviewer, rng.choice(VALIDATE_COMMENTS).format(**values))
        )
    return steps


OPEN_STATES = {
    "empty": 0.16,
    "started": 0.18,
    S.SUBMITTED: 0.2,
    S.RETURNED: 0.1,
    S.RESUBMITTED: 0.08,
    S.VALIDATED: 0.28,
}
PAST_STATES = {S.VALIDATED: 0.94, S.SUBMITTED: 0.025, S.RETURNED: 0.025, S.RESUBMITTED: 0.01}
# What each demo focal point must find in the open cycle.
REQUIRED_OPEN = {
    "minusca": ("empty", "started", S.SUBMITTED, S.RETURNED, S.RESUBMITTED, S.VALIDATED),
    "dpo-oma": ("empty", "started", S.RETURNED, S.VALIDATED),
}


def _open_states(assignments: Sequence[Assignment]) -> dict[int, str]:
    """The state of each demo update in the open cycle: a mix of every state, with what each
    demo focal point must see."""
    states: dict[int, str] = {}
    by_entity: dict[str, list[Assignment]] = {}
    for a in assignments:
        rng = _rng("open-state", a.deliverable.code, a.entity.code)
        if a.entity.code == "minusma":
            states[a.pk] = S.VALIDATED  # the closing entries of the liquidated mission
        else:
            states[a.pk] = rng.choices(list(OPEN_STATES), weights=list(OPEN_STATES.values()))[0]
        by_entity.setdefault(a.entity.code, []).append(a)
    for entity, required in REQUIRED_OPEN.items():
        mine = by_entity.get(entity, [])
        rng = _rng("open-required", entity)
        for wanted in required:
            counts = Counter(states[a.pk] for a in mine)
            if not mine or counts[wanted]:
                continue
            common = counts.most_common(1)[0][0]
            candidates = [a for a in mine if states[a.pk] == common]
            states[rng.choice(candidates).pk] = wanted
    return states


def _sensitivity(rng: random.Random) -> str:
    return rng.choices(
        (Sensitivity.INTERNAL, Sensitivity.PUBLIC, Sensitivity.CONFIDENTIAL), weights=(76, 18, 6)
    )[0]


@transaction.atomic
def demo_reporting_ensure(*, today: dt.date | None = None) -> dict[str, int]:
    """Load the demo reporting data into the A4P+ plan; returns how many rows of each kind were
    created. Running it again creates nothing."""
    today = today or timezone.localdate()
    plan = Plan.objects.get(code=PLAN_CODE)
    counts: Counter[str] = Counter()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["planner", "reviewer.africa", *FOCAL_USERS.values()]
        )
    }
    counts["assignments"] = assignments_generate(plan=plan)
    assignments = list(
        Assignment.objects.filter(deliverable__plan=plan)
        .select_related("deliverable", "entity", "via")
        .order_by("deliverable__position", "entity__code")
    )

    counts["focal_points"] = _ensure_focal_points(assignments, users)
    counts["milestones"] = _ensure_milestones(assignments, today)
    cycles = _ensure_cycles(plan, today, counts)
    demo = [a for a in assignments if a.entity.code in PROFILES]
    _ensure_updates(demo, cycles, users, today, counts)

    result = {
        key: counts[key]
        for key in (
            "assignments",
            "focal_points",
            "milestones",
            "cycles",
            "updates",
            "transitions",
            "obstacles",
            "evidence",
            "notifications",
        )
    }
    if any(result.values()):
        audit.log(action="demo.reporting_loaded", obj=plan, data=result)
    return result


def _ensure_focal_points(assignments: Sequence[Assignment], users: dict[str, User]) -> int:
    through = Assignment.focal_points.through
    have = set(
        through.objects.filter(assignment_id__in=[a.pk for a in assignments]).values_list(
            "assignment_id", "user_id"
        )
    )
    rows = []
    for a in assignments:
        user = users.get(FOCAL_USERS.get(a.entity.code, ""))
        if user is not None and (a.pk, user.pk) not in have:
            rows.append(through(assignment_id=a.pk, user_id=user.pk))
    through.objects.bulk_create(rows)
    return len(rows)


def _ensure_milestones(assignments: Sequence[Assignment], today: dt.date) -> int:
    """Milestones for every MINUSCA and OMA assignment and a sample of the others; assignments
    that already have milestones are left alone."""
    story_day = min(today, OPEN_CYCLE.end)
    have = set(
        Milestone.objects.filter(assignment__in=assignments).values_list("assignment_id", flat=True)
    )
    rows: list[Milestone] = []
    for a in assignments:
        if a.pk in have:
            continue
        sampled = _rng("milestone-sample", a.deliverable.code, a.entity.code).random() < 0.15
        if a.entity.code in FOCAL_USERS or sampled:
            rows.extend(_milestones(a, story_day))
    Milestone.objects.bulk_create(rows)
    return len(rows)


def _ensure_cycles(plan: Plan, today: dt.date, counts: Counter[str]) -> list[Cycle]:
    existing = {
        c.code: c for c in Cycle.objects.filter(plan=plan, code__in=[s.code for s in CYCLES])
    }
    missing = [
        Cycle(
            plan=plan,
            code=spec.code,
            kind=Cycle.Kind.SEMIANNUAL,
            period_start=spec.start,
            period_end=spec.end,
            state=spec.state,
            **_cycle_dates(spec, today),
        )
        for spec in CYCLES
        if spec.code not in existing
    ]
    for cycle in Cycle.objects.bulk_create(missing):
        existing[cycle.code] = cycle
    counts["cycles"] = len(missing)
    return [existing[spec.code] for spec in CYCLES]


@dataclass
class Planned:
    """One update about to be created, with what hangs on it."""

    update: ProgressUpdate
    steps: list[tuple[Step, dt.datetime]]
    obstacles: list[Obstacle]
    evidence: list[Evidence]


def _ensure_updates(
    assignments: Sequence[Assignment],
    cycles: Sequence[Cycle],
    users: dict[str, User],
    today: dt.date,
    counts: Counter[str],
) -> None:
    have = set(
        ProgressUpdate.objects.filter(cycle__in=cycles, assignment__in=assignments).values_list(
            "cycle_id", "assignment_id"
        )
    )
    wps = set(
        Deliverable.objects.filter(plan=cycles[0].plan, markers__code="wps").values_list(
            "pk", flat=True
        )
    )
    leads: dict[int, list[str]] = {}
    for part in (
        DeliverableEntity.objects.filter(
            deliverable__plan=cycles[0].plan, role=DeliverableEntity.Role.LEAD
        )
        .select_related("entity")
        .order_by("deliverable_id", "position")
    ):
        leads.setdefault(part.deliverable_id, []).append(part.entity.label)
    open_states = _open_states(assignments)
    planner, africa = users.get("planner"), users.get("reviewer.africa")

    planned: list[Planned] = []
    for a in assignments:
        code, entity = a.deliverable.code, a.entity.code
        profile = PROFILES[entity]
        ratings = _trajectory(code, entity)
        chronic = _chronic(code, entity, profile)
        author = users.get(FOCAL_USERS.get(entity, ""))
        reviewer = africa if profile.reviewed_in_africa else planner
        who = profile.name
        if a.via is not None and a.via.code in VIA_UNITS:
            who = f"{profile.name}'s {VIA_UNITS[a.via.code]}"
        for index, cycle in enumerate(cycles):
            if (cycle.pk, a.pk) in have:
                continue
            rng = _rng("update", cycle.code, code, entity)
            if cycle.state == Cycle.State.OPEN:
                state = open_states[a.pk]
            else:
                state = rng.choices(list(PAST_STATES), weights=list(PAST_STATES.values()))[0]
            rating = ratings[index]
            values = _values(
                rng,
                _topic(a.deliverable),
                profile,
                who,
                index,
                a.role,
                [label for label in leads.get(a.deliverable_id, []) if label != a.entity.label],
            )
            values["place_list"] = _join(profile.places[1:])
            writer = Writer(rng, values)
            text = _write(
                writer,
                rating=rating,
                previous=ratings[index - 1] if index else None,
                index=index,
                entity=entity,
                profile=profile,
                wps=a.deliverable_id in wps,
                deliverable=code,
                role=a.role,
            )
            if state == "empty":
                text, rating = Text(), ""
            elif state == "started":
                text = _half_written(text)
                rating = rating if rng.random() < 0.6 else ""
            final: str = S.DRAFT if state in ("empty", "started") else state
            planned.append(
                _plan_update(
                    rng,
                    assignment=a,
                    cycle=cycle,
                    state=final,
                    rating=rating,
                    text=text,
                    author=author,
                    reviewer=reviewer,
                    values=values,
                    today=today,
                    started=state == "started",
                    profile=profile,
                    chronic=chronic,
                    index=index,
                    wps=a.deliverable_id in wps,
                )
            )

    created = ProgressUpdate.objects.bulk_create([p.update for p in planned])
    transitions: list[Transition] = []
    obstacles: list[Obstacle] = []
    evidence: list[Evidence] = []
    for p, update in zip(planned, created, strict=True):
        from_state: str = S.DRAFT
        for step, moment in p.steps:
            transitions.append(
                Transition(
                    update=update,
                    action=step.action,
                    from_state=from_state,
                    to_state=step.to_state,
                    actor=step.actor,
                    at=moment,
                    comment=step.comment,
                )
            )
            from_state = step.to_state
        for obstacle in p.obstacles:
            obstacle.update = update
        for link in p.evidence:
            link.update = update
        obstacles.extend(p.obstacles)
        evidence.extend(p.evidence)
    Transition.objects.bulk_create(transitions)
    Obstacle.objects.bulk_create(obstacles)
    Evidence.objects.bulk_create(evidence)
    counts["updates"] = len(created)
    counts["transitions"] = len(transitions)
    counts["obstacles"] = len(obstacles)
    counts["evidence"] = len(evidence)
    counts["notifications"] = _ensure_notifications(planned, cycles[-1], users, today)


def _plan_update(
    rng: random.Random,
    *,
    assignment: Assignment,
    cycle: Cycle,
    state: str,
    rating: str,
    text: Text,
    author: User | None,
    reviewer: User | None,
    values: dict[str, Any],
    today: dt.date,
    started: bool,
    profile: Profile,
    chronic: Chronic | None,
    index: int,
    wps: bool,
) -> Planned:
    is_open = cycle.state == Cycle.State.OPEN
    first = cycle.opens_on + dt.timedelta(days=1 if is_open else 0)
    last = (min(today, cycle.closes_on) if is_open else cycle.closes_on) - dt.timedelta(days=1)
    last = max(last, first)
    span_days = (last - first).days
    obstacles: list[Obstacle] = []
    if state != S.DRAFT:
        obstacles = _obstacles(
            rng=rng,
            values=values,
            rating=rating,
            index=index,
            entity=assignment.entity.code,
            profile=profile,
            chronic=chronic,
        )
    closing = assignment.entity.code == "minusma" and index == len(CYCLES) - 1
    steps = _workflow(
        rng,
        state=state,
        author=author,
        reviewer=reviewer,
        values=values,
        may_return=not closing,
        has_obstacles=bool(obstacles),
    )
    edits = rng.randint(1, 3) if (state != S.DRAFT or started) else 0
    update = ProgressUpdate(
        cycle=cycle,
        assignment=assignment,
        state=state,
        rating=rating,
        narrative=text.narrative,
        achievements=text.achievements,
        next_steps=text.next_steps,
        wps_note=text.wps_note,
        sensitivity=_sensitivity(rng),
        version=1 + edits + len(steps) + (1 if len(steps) > 2 else 0),
    )
    if steps:
        # Past cycles: most reports arrive around the end of the period, a few after the due
        # date. The open cycle: spread over the weeks since it opened.
        offset = rng.randint(0, span_days * 2 // 3) if is_open else rng.randint(10, 40)
        start = min(first + dt.timedelta(days=offset), last)
        gaps = [rng.randint(2, 8) for _ in steps[1:]]
        moments = _schedule(rng, start=start, gaps=gaps, first=first, last=last)
        update.updated_at = moments[-1]
        update.updated_by = steps[-1].actor
        submitted = [
            m
            for s, m in zip(steps, moments, strict=True)
            if s.to_state in (S.SUBMITTED, S.RESUBMITTED)
        ]
        update.submitted_at = submitted[-1]
        if state == S.VALIDATED:
            update.validated_at = moments[-1]
        timed = list(zip(steps, moments, strict=True))
    else:
        timed = []
        day = first + dt.timedelta(days=rng.randint(0, span_days))
        update.updated_at = _at(day, rng.randint(8, 17))
        update.updated_by = author if started else None
    first_submit = timed[0][1] if timed else update.updated_at
    evidence: list[Evidence] = []
    if state != S.DRAFT:
        chance = 0.35 if state == S.VALIDATED else 0.2
        if rating not in (R.NOT_STARTED, "") and rng.random() < chance:
            for title, url in _evidence_links(
                rng=rng,
                deliverable=assignment.deliverable.code,
                entity=assignment.entity.code,
                profile=profile,
                values=values,
                wps=wps,
            ):
                added = first_submit - dt.timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 4))
                evidence.append(
                    Evidence(
                        title=title[:200],
                        url=url,
                        added_by=author,
                        added_at=max(added, _at(cycle.opens_on, 8)),
                    )
                )
    return Planned(update=update, steps=timed, obstacles=obstacles, evidence=evidence)


def _ensure_notifications(
    planned: Sequence[Planned], open_cycle: Cycle, users: dict[str, User], today: dt.date
) -> int:
    """What the demo people find in their in-app notifications: returned work and a due-date
    reminder for the focal points, new submissions for the Africa reviewer. Keys follow the
    ones the workflow and the reminders use, so nothing is ever sent twice."""
    rows: list[Notification] = []
    africa = users.get("reviewer.africa")
    mine = [p for p in planned if p.update.cycle_id == open_cycle.pk]
    for p in mine:
        update, steps = p.update, p.steps
        entity = update.assignment.entity.code
        focal = users.get(FOCAL_USERS.get(entity, ""))
        if update.state == S.RETURNED and focal is not None:
            at = steps[-1][1]
            rows.append(
                Notification(
                    user=focal,
                    kind=Notification.Kind.RETURNED,
                    update=update,
                    key=f"{Notification.Kind.RETURNED}:{update.pk}:{len(steps)}:{focal.pk}",
                    created_at=at,
                    emailed_at=at,
                )
            )
    minusca_drafts = [
        p.update
        for p in mine
        if p.update.state == S.DRAFT and p.update.assignment.entity.code == "minusca"
    ]
    focal = users.get("focal.minusca")
    lead = dt.timedelta(days=settings.A4P_REMIND_DAYS_BEFORE)
    if focal is not None and open_cycle.due_on - lead < today:
        # Sent by the reminders on the first day within the reminder lead time.
        at = _at(max(open_cycle.due_on - lead, open_cycle.opens_on), 6)
        for update in minusca_drafts[:3]:
            rows.append(
                Notification(
                    user=focal,
                    kind=Notification.Kind.DUE_SOON,
                    update=update,
                    key=f"{Notification.Kind.DUE_SOON}:{update.pk}:{focal.pk}",
                    created_at=at,
                    emailed_at=at,
                )
            )
    waiting = sorted(
        (
            p
            for p in mine
            if p.update.state in (S.SUBMITTED, S.RESUBMITTED)
            and PROFILES[p.update.assignment.entity.code].reviewed_in_africa
        ),
        key=lambda p: p.steps[-1][1],
    )
    if africa is not None:
        for position, p in enumerate(reversed(waiting)):
            at = p.steps[-1][1]
            rows.append(
                Notification(
                    user=africa,
                    kind=Notification.Kind.SUBMITTED,
                    update=p.update,
                    key=f"{Notification.Kind.SUBMITTED}:{p.update.pk}:{len(p.steps)}:{africa.pk}",
                    created_at=at,
                    emailed_at=at,
                    read_at=None if position < 5 else at + dt.timedelta(hours=3),
                )
            )
    have = set(
        Notification.objects.filter(key__in=[n.key for n in rows]).values_list("key", flat=True)
    )
    rows = [n for n in rows if n.key not in have]
    Notification.objects.bulk_create(rows)
    return len(rows)
