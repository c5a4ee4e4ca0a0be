"""US billing codes for dry needling, from the number of distinct muscles needled.

CPT 20560: needle insertion(s) without injection, 1 or 2 muscles; CPT 20561: 3 or more muscles
(APTA Magazine, February 2020). docs/clinical-sources.md lists the source.
"""

CPT_ONE_OR_TWO_MUSCLES = "20560"
CPT_THREE_OR_MORE_MUSCLES = "20561"


def cpt_code(distinct_muscles: int) -> str | None:
    """The CPT code for a session that needled this many distinct muscles (None for none)."""
    if distinct_muscles <= 0:
        return None
    if distinct_muscles <= 2:
        return CPT_ONE_OR_TWO_MUSCLES
    return CPT_THREE_OR_MORE_MUSCLES
