"""The review bot: carries a proposal pull request through the five steps of the procedure.

Submission, intake, coordination, evaluation and publication are driven by GitHub events and
slash commands; state lives only in GitHub (labels, comments, the bot's status comment) and in
the evaluation records it writes on the main branch.
"""
