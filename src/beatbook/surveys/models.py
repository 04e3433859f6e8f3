"""Perception surveys (issue 17, ADR 21): a force's or a neighbourhood's survey of how safe and
confident residents feel, its questions, its waves, the answers residents give online or a
fieldwork company hands over, and the population margins the answers are weighted to.

A question keeps its ``code`` for life: it is the column of an imported CSV and the key that
joins one wave's estimates to the next. Once a wave that asks a question has opened, the
question's wording and answer codes are fixed (``Question.locked``), so waves stay comparable;
a changed question is a new question.

No answer holds an IP address, a postcode or a time of day. A postcode is turned into the
neighbourhood and LSOA it lies in and then dropped; contact details are kept only when the
respondent asks to be contacted and consents.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from beatbook.core.models import TimestampedModel
from beatbook.places.models import Force, Neighbourhood
from beatbook.surveys.codes import AGE_BANDS, SEXES
from beatbook.teams.models import Priority

SAMPLE_HELP = "Sample content made by `beatbook demo`: remade on its first start each day."


class Survey(TimestampedModel):
    """A survey a force runs, wave after wave, e.g. the Perceptions Survey."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True, help_text="Its public address.")
    purpose = models.TextField(help_text="Why we ask: shown to residents on the first page.")
    privacy_notice = models.TextField(
        help_text="What is kept, for how long and who sees it: shown before anyone answers."
    )
    contact_email = models.EmailField(blank=True)
    neighbourhoods = models.ManyToManyField(
        Neighbourhood,
        blank=True,
        related_name="surveys",
        help_text="The neighbourhoods it covers; none means the whole force.",
    )
    ask_age_band = models.BooleanField(default=True)
    ask_sex = models.BooleanField(default=True)
    ask_postcode = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["force", "title"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Choose one answer"
    MULTIPLE = "multiple", "Choose any answers"
    RANK = "rank", "Rank the top priorities"
    SCALE = "scale", "A scale"
    TEXT = "text", "Free text"


class Question(TimestampedModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(
        max_length=40,
        help_text="Short, fixed name: the column in imported files and the key across waves.",
    )
    text = models.TextField()
    hint = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    bank_key = models.CharField(
        max_length=40, blank=True, help_text="The item bank question it was made from, if any."
    )
    rank_limit = models.PositiveSmallIntegerField(
        default=3, help_text="For a ranking: how many priorities a resident picks."
    )
    headline = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "How a public headline ends, e.g. 'feel safe walking alone after dark': the share "
            "giving a positive answer is put before it. Blank: no headline."
        ),
    )
    required = models.BooleanField(default=False)
    retired = models.BooleanField(default=False, help_text="Not asked in waves opened from now.")

    class Meta:
        ordering = ["survey", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="survey_question_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"

    @property
    def locked(self) -> bool:
        """Asked in a wave that has opened: its wording and answer codes can no longer change."""
        return self.waves.exclude(status=WaveStatus.DRAFT).exists()

    @property
    def has_options(self) -> bool:
        return self.kind != QuestionKind.TEXT


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=200)
    positive = models.BooleanField(
        default=False, help_text="Counts towards the question's headline share."
    )

    class Meta:
        ordering = ["question", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="survey_option_code_unique")
        ]

    def __str__(self) -> str:
        return self.label


class WaveStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for answers"
    CLOSED = "closed", "Closed"


class Wave(TimestampedModel):
    """One round of a survey, e.g. "August 2023": the questions it asks are fixed on opening."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    status = models.CharField(max_length=10, choices=WaveStatus.choices, default=WaveStatus.DRAFT)
    opens_on = models.DateField()
    closes_on = models.DateField()
    open_link = models.BooleanField(
        default=True,
        help_text="Anyone with the survey's link may answer; otherwise only invited people.",
    )
    results_published = models.BooleanField(
        default=False, help_text="Whether the public 'what you told us' pages show this wave."
    )
    questions = models.ManyToManyField(
        Question, through="WaveQuestion", related_name="waves", blank=True
    )
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["survey", "opens_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "slug"], name="survey_wave_slug_unique"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="survey_wave_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.name}"


class WaveQuestion(models.Model):
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE)
    question = models.ForeignKey(Question, on_delete=models.RESTRICT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["wave", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "question"], name="survey_wave_question_unique")
        ]

    def __str__(self) -> str:
        return f"{self.wave_id}: {self.question_id}"


class Margin(models.Model):
    """How many people live in a neighbourhood in one age band and sex: what answers are
    weighted to. Loaded from a census-style CSV."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="margins")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="+")
    age_band = models.CharField(max_length=8, choices=AGE_BANDS)
    sex = models.CharField(max_length=8, choices=SEXES)
    population = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True, help_text="Where the figures came from.")
    # A load replaces a survey's margins whole, so every margin of a survey shares this time.
    loaded_at = models.DateTimeField(default=timezone.now, help_text="When they were loaded.")

    class Meta:
        ordering = ["survey", "neighbourhood", "age_band", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "neighbourhood", "age_band", "sex"], name="survey_margin_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.neighbourhood_id} {self.age_band} {self.sex}: {self.population}"


class Invitation(models.Model):
    """A single-use link for an address-based or panel sample. Only the token's SHA-256 is
    kept: the link itself is shown once, when the batch is made."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    batch = models.CharField(max_length=80, help_text="e.g. 'Letters, 1 August'.")
    created_at = models.DateTimeField(auto_now_add=True)
    used_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["wave", "batch", "id"]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.batch})"


class Channel(models.TextChoices):
    INVITATION = "invitation", "Invitation link"
    OPEN_LINK = "open", "Open link"
    IMPORTED = "imported", "Imported from a file"


class Response(models.Model):
    """One resident's answers to one wave."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    external_id = models.CharField(
        max_length=80, blank=True, help_text="The fieldwork company's respondent id, if imported."
    )
    # The day only: a time of day could pick a person out of a small neighbourhood's answers.
    submitted_on = models.DateField()
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lsoa_code = models.CharField(max_length=9, blank=True)
    age_band = models.CharField(max_length=8, blank=True, choices=AGE_BANDS)
    sex = models.CharField(max_length=8, blank=True, choices=SEXES)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_consent = models.BooleanField(default=False)
    source_file = models.ForeignKey(
        "records.SourceFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["wave", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "external_id"],
                condition=~Q(external_id=""),
                name="survey_response_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(contact_consent=True) | (Q(contact_name="") & Q(contact_email="")),
                name="survey_response_contact_needs_consent",
            ),
        ]
        indexes = [models.Index(fields=["wave", "neighbourhood"], name="survey_resp_wave_nbhd")]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.wave_id}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.RESTRICT, related_name="answers"
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question", "rank", "id"]
        indexes = [models.Index(fields=["question", "option"], name="survey_answer_q_option")]

    def __str__(self) -> str:
        return f"Answer {self.pk} to {self.question_id}"


class PriorityLink(models.Model):
    """A neighbourhood priority set or changed because of what a wave's answers said: the
    public results page links to it ("you said, we did")."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="priority_links")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=300, help_text="What in the answers led to it.")

    class Meta:
        ordering = ["wave", "id"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "priority"], name="survey_priority_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.wave_id} → priority {self.priority_id}"


class WaveResult(models.Model):
    """The estimates of a wave, kept until its answers or margins change (``version``)."""

    wave = models.OneToOneField(Wave, on_delete=models.CASCADE, related_name="result")
    version = models.CharField(max_length=120)
    computed_at = models.DateTimeField(auto_now=True)
    estimates = models.JSONField(default=list)
    notes = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"Estimates of wave {self.wave_id}"
