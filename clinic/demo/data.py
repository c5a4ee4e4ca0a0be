"""The demo clinic's fixed data: staff, names, scenarios and typical treatment plans."""

from clinic.accounts.models import Role
from patients.instruments import Instrument
from patients.models import BodyRegion, Side

# A fictional number (Ofcom's range for drama).
DEMO_PHONE = "01632 960 000"
DEMO_CLINIC = "Riverside Physiotherapy"
DEMO_PASSWORD = "needletrack-demo"
DEMO_STAFF = [
    ("admin", "Alex", "Morgan", Role.CLINIC_ADMIN),
    ("therapist", "Sam", "Okafor", Role.THERAPIST),
    ("therapist2", "Priya", "Shah", Role.THERAPIST),
]
# Each demo therapist's dry-needling training: (course, hours, jurisdiction, years valid).
DEMO_CREDENTIALS = {
    "therapist": ("Dry needling level 1 and 2 (in person)", 54, "Colorado", None),
    "therapist2": ("Dry needling for physiotherapists", 80, "Maryland", 3),
}
FIRST_NAMES = [
    "Ava",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Finn",
    "Grace",
    "Hugo",
    "Isla",
    "Jack",
    "Kate",
    "Leo",
    "Maya",
    "Noah",
    "Olivia",
    "Paul",
    "Rosa",
    "Theo",
    "Uma",
    "Will",
]
LAST_NAMES = [
    "Adams",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Foster",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Murphy",
    "Nolan",
    "Owen",
    "Patel",
    "Reid",
    "Singh",
    "Turner",
    "Walsh",
]
# Typical treatment plans: (muscle, side) pairs needled together.
SITE_PLANS = [
    [("Upper trapezius", Side.RIGHT), ("Levator scapulae", Side.RIGHT)],
    [("Gluteus medius", Side.LEFT), ("Piriformis", Side.LEFT), ("Quadratus lumborum", Side.LEFT)],
    [("Gastrocnemius", Side.RIGHT), ("Soleus", Side.RIGHT)],
    [("Infraspinatus", Side.LEFT), ("Teres minor", Side.LEFT)],
    [("Lumbar multifidus", Side.BILATERAL)],
]
PLAN_GOALS = [
    "Sit at the desk all day without neck pain.",
    "Run 5 km without calf tightness.",
    "Garden for an hour without back pain.",
    "Lift the grandchildren without shoulder pain.",
]
# The region's functional instrument for the demo episodes (the PSFS for the rest).
DEMO_INSTRUMENTS = {
    BodyRegion.HEAD_NECK: Instrument.NDI,
    BodyRegion.SHOULDER: Instrument.QUICKDASH,
    BodyRegion.LUMBAR: Instrument.ODI,
    BodyRegion.PELVIS_HIP: Instrument.ODI,
    BodyRegion.LEG: Instrument.LEFS,
}
PSFS_ACTIVITIES = ["Climbing stairs", "Sitting at the desk", "Running"]
# Screening scenarios, cycled so every outcome appears among the first patients.
SCENARIOS = ["cleared", "precautions", "cleared", "not_cleared", "refer", "expired", "none"]
# This patient withdrew their consent after their last session.
WITHDRAWN_CONSENT_PATIENT = 3
