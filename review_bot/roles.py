"""The role names of the roster, kept apart from the configuration so that the command parser
loads without the schema validator (the bot checks a comment for commands before anything else)."""

INTAKE_OFFICER = "intake_officer"
COORDINATOR = "coordinator"
COUNCIL_MEMBER = "council_member"
EXPERT = "expert"
SUBMITTER = "submitter"
ANYONE = "anyone"

ROLE_NAMES = {
    INTAKE_OFFICER: "cán bộ tiếp nhận",
    COORDINATOR: "điều phối viên Hội đồng",
    COUNCIL_MEMBER: "ủy viên Hội đồng được giao hồ sơ",
    EXPERT: "chuyên gia độc lập trong nhóm chuyên gia của hồ sơ",
    SUBMITTER: "người gửi hồ sơ",
    ANYONE: "mọi người",
}
