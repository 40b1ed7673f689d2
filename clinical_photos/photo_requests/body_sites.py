"""Body sites that staff can pick when asking a patient for clinical photographs.

Every site is a SNOMED CT *body structure* concept (system ``http://snomed.info/sct``),
which is what FHIR ``Media.bodySite`` is bound to. Each entry carries:

* ``code``    - the SNOMED CT concept id, copied from a published source (never guessed);
* ``display`` - the SNOMED CT term exactly as that source publishes it (the ``source`` key
  names the listing the text was copied from);
* ``label``   - plain English for patients and reception staff;
* ``group``   - one of ``GROUPS``, for laying out the picker;
* ``source``  - a key into ``SOURCES``.

``CONFIRMED_IN`` lists every source in which each code (with a matching meaning) was read,
so the data can be re-checked. Laterality (left/right) is deliberately NOT pre-coordinated:
only plain, unsided structures are listed and side is recorded separately.

Intimate areas are deliberately absent: breasts and nipples, genitals, groin / inguinal /
pubic region, perineum, anus and perianal skin, buttocks and natal cleft. The eyeball itself
is also left out (the eyelid is included). ``INTIMATE_TERMS`` lets a test prove that no
display or label touches those areas. Photographs of intimate areas must not be requested
through this service.

SOURCES (full citations are in ``SOURCES`` below):

* ehdsi - eHDSI Body Site value set v8.1.0, expansion from tx.fhir.org on SNOMED CT
  International Edition 2025-02-01. http://terminology.ehdsi.eu/ValueSet/eHDSIBodySite
  (read in github.com/hl7-eu/EHDSI-Terminology-package,
  branches/8.1.0/ValueSet-eHDSIBodySite-8.1.0.md).
* dicom-cid-4 / dicom-cid-4031 / dicom-cid-4029 - DICOM PS3.16 context groups CID 4
  "Anatomic Region", CID 4031 "Common Anatomic Region" and CID 4029 "Dermatology Anatomic
  Site". https://dicom.nema.org/medical/dicom/current/output/chtml/part16/sect_CID_4.html
  (and sect_CID_4031.html, sect_CID_4029.html); read in github.com/bvdh/dicom-terminology-in-fhir.
* ph-silph - Philippines DOH Road Safety IG, "SILPH - List of Body Sites" value set expansion on
  SNOMED CT International Edition 2024-10-01.
  http://www.roadsafetyph.doh.gov.ph/ValueSet/SILPH-ListofBodySites
* be-drp - Belgian eHealth platform, "DRP Body Site" value set.
  https://www.ehealth.fgov.be/standards/fhir/terminology/ValueSet/be-vs-body-site
* mcode - HL7 mCODE IG, Radiotherapy Treatment Location value set.
  http://hl7.org/fhir/us/mcode/ValueSet/mcode-radiotherapy-treatment-location-vs
* nhs-digital-medicines - NHS Digital, FHIR Implementation Guide for Digital Medicines,
  guidance for the dosage ``site`` element.
"""

from __future__ import annotations

from dataclasses import dataclass

SNOMED_CT_SYSTEM = "http://snomed.info/sct"

HEAD_AND_NECK = "Head and neck"
ARMS_AND_HANDS = "Arms and hands"
TRUNK = "Trunk"
LEGS_AND_FEET = "Legs and feet"

GROUPS: tuple[str, ...] = (HEAD_AND_NECK, ARMS_AND_HANDS, TRUNK, LEGS_AND_FEET)

SOURCES: dict[str, str] = {
    "ehdsi": (
        "eHDSI Body Site value set (eHDSI Terminologies v8.1.0), expansion from tx.fhir.org "
        "based on SNOMED CT International Edition 01-Feb-2025, "
        "http://terminology.ehdsi.eu/ValueSet/eHDSIBodySite - read in "
        "https://github.com/hl7-eu/EHDSI-Terminology-package "
        "(branches/8.1.0/ValueSet-eHDSIBodySite-8.1.0.md)"
    ),
    "dicom-cid-4": (
        "DICOM PS3.16 Content Mapping Resource, CID 4 Anatomic Region, "
        "https://dicom.nema.org/medical/dicom/current/output/chtml/part16/sect_CID_4.html - "
        "read in https://github.com/bvdh/dicom-terminology-in-fhir "
        "(input/fsh/ValueSet-dicom-cid-4-AnatomicRegion.fsh)"
    ),
    "dicom-cid-4031": (
        "DICOM PS3.16 Content Mapping Resource, CID 4031 Common Anatomic Region, "
        "https://dicom.nema.org/medical/dicom/current/output/chtml/part16/sect_CID_4031.html - "
        "read in https://github.com/bvdh/dicom-terminology-in-fhir "
        "(input/fsh/ValueSet-dicom-cid-4031-CommonAnatomicRegion.fsh)"
    ),
    "dicom-cid-4029": (
        "DICOM PS3.16 Content Mapping Resource, CID 4029 Dermatology Anatomic Site, "
        "https://dicom.nema.org/medical/dicom/current/output/chtml/part16/sect_CID_4029.html - "
        "read in https://github.com/bvdh/dicom-terminology-in-fhir "
        "(input/fsh/ValueSet-dicom-cid-4029-DermatologyAnatomicSite.fsh)"
    ),
    "ph-silph": (
        "Philippines DOH Road Safety FHIR IG, ValueSet 'SILPH - List of Body Sites' "
        "(expansion on SNOMED CT International Edition 2024-10-01), "
        "http://www.roadsafetyph.doh.gov.ph/ValueSet/SILPH-ListofBodySites - read in "
        "https://github.com/UPM-NTHC/PH-RoadSafetyIG "
        "(input/fsh/generated-terminology/valuesets/SILPH___List_of_Body_Sites__VS_.fsh)"
    ),
    "be-drp": (
        "Belgian eHealth platform (HL7 Belgium), ValueSet 'DRP Body Site', "
        "https://www.ehealth.fgov.be/standards/fhir/terminology/ValueSet/be-vs-body-site - "
        "read in https://github.com/hl7-be/referral (input/fsh/drp/DRPValueSetsCommon.fsh)"
    ),
    "mcode": (
        "HL7 FHIR mCODE Implementation Guide, Radiotherapy Treatment Location Value Set, "
        "http://hl7.org/fhir/us/mcode/ValueSet/mcode-radiotherapy-treatment-location-vs - "
        "read in https://github.com/HL7/fhir-mCODE-ig (input/fsh/VS_Radiotherapy.fsh)"
    ),
    "nhs-digital-medicines": (
        "NHS Digital, FHIR Implementation Guide for Digital Medicines, guidance for the "
        "dosage 'site' element (example coding) - read in "
        "https://github.com/NHSDigital/IOPS-FHIR-Simplifier-Backup "
        "(ImplementationGuideforDigitalMedicines/backup/site.md)"
    ),
}


@dataclass(frozen=True)
class BodySite:
    """One selectable body site: a SNOMED CT body structure concept."""

    code: str
    display: str
    label: str
    group: str
    source: str

    @property
    def system(self) -> str:
        return SNOMED_CT_SYSTEM

    def as_coding(self) -> dict[str, str]:
        """The site as a FHIR Coding (for Media.bodySite)."""
        return {"system": SNOMED_CT_SYSTEM, "code": self.code, "display": self.display}


# Ordered head to toe, group by group.
BODY_SITES: tuple[BodySite, ...] = (
    # Head and neck
    BodySite("41695006", "Scalp structure", "Scalp", HEAD_AND_NECK, "ehdsi"),
    BodySite("52795006", "Forehead structure", "Forehead", HEAD_AND_NECK, "be-drp"),
    BodySite("89545001", "Face structure", "Face", HEAD_AND_NECK, "ehdsi"),
    BodySite("80243003", "Eyelid structure", "Eyelid", HEAD_AND_NECK, "ehdsi"),
    BodySite("28347008", "External ear structure", "Ear", HEAD_AND_NECK, "ehdsi"),
    BodySite("60819002", "Cheek structure", "Cheek", HEAD_AND_NECK, "ehdsi"),
    BodySite("45206002", "Nasal structure", "Nose", HEAD_AND_NECK, "ehdsi"),
    BodySite("48477009", "Lip structure", "Lip", HEAD_AND_NECK, "ehdsi"),
    BodySite("45048000", "Neck structure", "Neck", HEAD_AND_NECK, "ehdsi"),
    # Arms and hands
    BodySite("16982005", "Shoulder region structure", "Shoulder", ARMS_AND_HANDS, "ehdsi"),
    BodySite("40983000", "Upper arm structure", "Upper arm", ARMS_AND_HANDS, "ehdsi"),
    BodySite("127949000", "Elbow region structure", "Elbow", ARMS_AND_HANDS, "ehdsi"),
    BodySite("14975008", "Forearm structure", "Forearm", ARMS_AND_HANDS, "ehdsi"),
    BodySite("8205005", "Wrist region structure", "Wrist", ARMS_AND_HANDS, "ehdsi"),
    BodySite("85562004", "Hand structure", "Hand", ARMS_AND_HANDS, "ehdsi"),
    BodySite("76505004", "Thumb structure", "Thumb", ARMS_AND_HANDS, "ehdsi"),
    BodySite("7569003", "Finger structure", "Finger", ARMS_AND_HANDS, "ehdsi"),
    BodySite(
        "770809003", "Structure of nail unit of finger", "Fingernail", ARMS_AND_HANDS, "ehdsi"
    ),
    # Trunk
    BodySite("78904004", "Chest wall structure", "Front of chest", TRUNK, "ehdsi"),
    BodySite("91470000", "Axillary region structure", "Armpit", TRUNK, "ehdsi"),
    BodySite(
        "59380008",
        "Anterior abdominal wall structure",
        "Tummy (abdomen)",
        TRUNK,
        "nhs-digital-medicines",
    ),
    BodySite("58602004", "Flank structure", "Side of the body (flank)", TRUNK, "ehdsi"),
    BodySite("77568009", "Structure of back of trunk", "Back", TRUNK, "ehdsi"),
    BodySite("52612000", "Structure of lumbar region of back", "Lower back", TRUNK, "ehdsi"),
    # Legs and feet
    BodySite("29836001", "Hip region structure", "Hip", LEGS_AND_FEET, "ehdsi"),
    BodySite("68367000", "Thigh structure", "Thigh", LEGS_AND_FEET, "ehdsi"),
    BodySite("72696002", "Knee region structure", "Knee", LEGS_AND_FEET, "ehdsi"),
    BodySite("32361000", "Popliteal fossa structure", "Back of the knee", LEGS_AND_FEET, "ehdsi"),
    BodySite("30021000", "Lower leg structure", "Lower leg", LEGS_AND_FEET, "ehdsi"),
    BodySite("78234002", "Shin structure", "Shin", LEGS_AND_FEET, "be-drp"),
    BodySite("53840002", "Structure of calf of leg", "Calf", LEGS_AND_FEET, "ehdsi"),
    BodySite("344001", "Ankle region structure", "Ankle", LEGS_AND_FEET, "be-drp"),
    BodySite("56459004", "Foot structure", "Foot", LEGS_AND_FEET, "ehdsi"),
    BodySite("76853006", "Heel structure", "Heel", LEGS_AND_FEET, "ph-silph"),
    BodySite("29707007", "Toe structure", "Toe", LEGS_AND_FEET, "ehdsi"),
    BodySite("78883009", "Great toe structure", "Big toe", LEGS_AND_FEET, "be-drp"),
    BodySite("770805009", "Structure of nail unit of toe", "Toenail", LEGS_AND_FEET, "ehdsi"),
)

# Every source in which each code was read with the same meaning (the first entry is the
# source of the display text). DICOM lists give their own short "code meaning" rather than
# the SNOMED CT term, so they confirm the code but never supply ``display``.
CONFIRMED_IN: dict[str, tuple[str, ...]] = {
    "41695006": ("ehdsi", "mcode", "dicom-cid-4"),
    "52795006": ("be-drp",),
    "89545001": ("ehdsi", "be-drp", "dicom-cid-4"),
    "80243003": ("ehdsi", "dicom-cid-4"),
    "28347008": ("ehdsi",),
    "60819002": ("ehdsi", "ph-silph", "be-drp", "dicom-cid-4"),
    "45206002": ("ehdsi", "ph-silph", "be-drp", "mcode", "dicom-cid-4"),
    "48477009": ("ehdsi", "ph-silph", "be-drp"),
    "45048000": ("ehdsi", "ph-silph", "be-drp", "dicom-cid-4031"),
    "16982005": ("ehdsi", "ph-silph", "be-drp", "dicom-cid-4031"),
    "40983000": ("ehdsi", "be-drp", "dicom-cid-4031"),
    "127949000": ("ehdsi", "ph-silph", "be-drp", "mcode"),
    "14975008": ("ehdsi", "ph-silph", "be-drp", "dicom-cid-4031"),
    "8205005": ("ehdsi", "ph-silph"),
    "85562004": ("ehdsi", "ph-silph", "be-drp", "dicom-cid-4031"),
    "76505004": ("ehdsi", "ph-silph", "be-drp", "dicom-cid-4031"),
    "7569003": ("ehdsi", "ph-silph", "dicom-cid-4031"),
    "770809003": ("ehdsi", "dicom-cid-4029"),
    "78904004": ("ehdsi", "mcode"),
    "91470000": ("ehdsi", "dicom-cid-4"),
    "59380008": ("nhs-digital-medicines",),
    "58602004": ("ehdsi", "dicom-cid-4"),
    "77568009": ("ehdsi", "dicom-cid-4"),
    "52612000": ("ehdsi", "dicom-cid-4"),
    "29836001": ("ehdsi", "be-drp", "dicom-cid-4031"),
    "68367000": ("ehdsi", "be-drp", "dicom-cid-4031", "dicom-cid-4"),
    "72696002": ("ehdsi", "ph-silph", "be-drp", "mcode", "dicom-cid-4031"),
    "32361000": ("ehdsi", "dicom-cid-4"),
    "30021000": ("ehdsi", "be-drp", "dicom-cid-4031"),
    "78234002": ("be-drp",),
    "53840002": ("ehdsi",),
    "344001": ("be-drp",),
    "56459004": ("ehdsi", "ph-silph", "be-drp", "dicom-cid-4031"),
    "76853006": ("ph-silph", "be-drp"),
    "29707007": ("ehdsi", "ph-silph", "dicom-cid-4031"),
    "78883009": ("be-drp",),
    "770805009": ("ehdsi", "dicom-cid-4029"),
}

BY_CODE: dict[str, BodySite] = {site.code: site for site in BODY_SITES}

# Lower-case words for areas this service must never ask to photograph. A test checks that
# no display or label of any site contains one of them.
INTIMATE_TERMS: tuple[str, ...] = (
    "breast",
    "nipple",
    "genital",
    "penis",
    "penile",
    "scrotum",
    "scrotal",
    "testis",
    "vulva",
    "vagina",
    "labia",
    "groin",
    "inguinal",
    "pubic",
    "perineum",
    "perineal",
    "anus",
    "anal",
    "perianal",
    "buttock",
    "gluteal",
    "natal cleft",
)


def get(code: str) -> BodySite | None:
    """The body site with this SNOMED CT code, or None if it is not offered."""
    return BY_CODE.get(code)
