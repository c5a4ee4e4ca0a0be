"""The dataset's sizes, names and treatment shapes: what the builder draws from."""

from dataclasses import dataclass
from datetime import timedelta

from patients.models import Side

DEFAULT_PATIENTS = 20_000
DEFAULT_SESSIONS = 200_000
SITES_PER_SESSION = (1, 2, 3, 3, 4, 5)  # 3 on average: 600,000 sites for 200,000 sessions
CLINIC_PREFIX = "Bench clinic"
# The biggest clinic first: the benchmark signs in there.
CLINIC_SHARES = (0.40, 0.25, 0.15, 0.12, 0.08)
PATIENTS_PER_THERAPIST = 500
BENCH_PASSWORD = "needletrack-bench"
HISTORY = timedelta(days=5 * 365)
ANSWERS_FOR = timedelta(days=365)
SESSIONS_PER_EPISODE = 4
PATIENTS_PER_TRANSACTION = 1000
BATCH_SIZE = 5000

# fmt: off
FIRST_NAMES = (
    "Ava", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Hugo", "Isla", "Jack", "Kate",
    "Leo", "Maya", "Noah", "Olivia", "Paul", "Rosa", "Theo", "Uma", "Will", "Amir", "Bea",
    "Carlos", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kofi", "Lena", "Mo", "Nina",
    "Omar", "Pia", "Quinn", "Ravi", "Sofia", "Tom", "Ulla", "Vera", "Wei", "Xena", "Yusuf",
    "Zoe",
)
# fmt: on
# fmt: off
SURNAME_STEMS = (
    "Smith", "Jones", "Brown", "Tay", "Wil", "Dav", "Ev", "Thom", "John", "Rob", "Wright",
    "Walk", "Wood", "Hall", "Green", "Hugh", "Lew", "Edw", "Clark", "Harr", "Scott", "Turn",
    "Hill", "Mart", "Coop", "Ward", "Morr", "King", "Bak", "Bell", "Shaw", "Fost", "Reid", "Nol",
    "Mur", "Pat", "Sing", "Kha", "Iqb", "Adam",
)
# fmt: on
SURNAME_ENDINGS = ("", "son", "er", "well", "ley", "ford", "ton", "ham", "by", "s", "ington")
MUSCLE_PLANS = (
    (
        ("Upper trapezius", Side.RIGHT),
        ("Levator scapulae", Side.RIGHT),
        ("Suboccipitals", Side.BILATERAL),
        ("Splenius capitis", Side.RIGHT),
        ("Infraspinatus", Side.RIGHT),
    ),
    (
        ("Gluteus medius", Side.LEFT),
        ("Piriformis", Side.LEFT),
        ("Quadratus lumborum", Side.LEFT),
        ("Gluteus minimus", Side.LEFT),
        ("Lumbar multifidus", Side.BILATERAL),
    ),
    (
        ("Gastrocnemius", Side.RIGHT),
        ("Soleus", Side.RIGHT),
        ("Tibialis anterior", Side.RIGHT),
        ("Peroneals", Side.RIGHT),
        ("Hamstrings", Side.RIGHT),
    ),
    (
        ("Infraspinatus", Side.LEFT),
        ("Teres minor", Side.LEFT),
        ("Supraspinatus", Side.LEFT),
        ("Deltoid", Side.LEFT),
        ("Teres major", Side.LEFT),
    ),
    (
        ("Lumbar multifidus", Side.BILATERAL),
        ("Quadratus lumborum", Side.RIGHT),
        ("Gluteus maximus", Side.RIGHT),
        ("Iliopsoas", Side.RIGHT),
        ("Piriformis", Side.RIGHT),
    ),
    (
        ("Vastus lateralis", Side.LEFT),
        ("Vastus medialis", Side.LEFT),
        ("Rectus femoris", Side.LEFT),
        ("Tensor fasciae latae", Side.LEFT),
        ("Adductors", Side.LEFT),
    ),
    (
        ("Rhomboids", Side.RIGHT),
        ("Middle trapezius", Side.RIGHT),
        ("Thoracic paraspinals", Side.BILATERAL),
        ("Lower trapezius", Side.RIGHT),
        ("Upper trapezius", Side.RIGHT),
    ),
    (
        ("Wrist extensors", Side.RIGHT),
        ("Brachioradialis", Side.RIGHT),
        ("Wrist flexors", Side.RIGHT),
        ("Triceps brachii", Side.RIGHT),
        ("Biceps brachii", Side.RIGHT),
    ),
)


@dataclass(frozen=True)
class Size:
    patients: int
    sessions: int

    @classmethod
    def at(cls, scale: float) -> "Size":
        if scale <= 0:
            raise ValueError("The scale must be positive.")
        return cls(
            patients=max(len(CLINIC_SHARES) * 4, round(DEFAULT_PATIENTS * scale)),
            sessions=max(len(CLINIC_SHARES) * 8, round(DEFAULT_SESSIONS * scale)),
        )
