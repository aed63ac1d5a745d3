"""A fictional year of the networking platform: meetings across the six platforms and the four
areas (past ones with minutes, coming ones with answers), and threads on the boards in several
languages. Every name and text is invented."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from hilfenetz.core.demo import DemoContext, step
from hilfenetz.network import services, timeline
from hilfenetz.network.models import (
    AgendaItem,
    Answer,
    Expert,
    ExpertStatus,
    Follow,
    Invitation,
    InvitationReason,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    Platform,
    Reply,
    Thread,
)
from hilfenetz.network.platforms import ensure_start_platforms
from hilfenetz.regions.models import CoordinatorRole

BERLIN = ZoneInfo("Europe/Berlin")
# months from now, status
YEAR = [
    (-10, MeetingStatus.MINUTES),
    (-5, MeetingStatus.MINUTES),
    (1, MeetingStatus.INVITED),
    (4, MeetingStatus.AGREED),
    (6, MeetingStatus.PROPOSED),
]
AGENDA = ["Begrüßung und Vorstellungsrunde", "Impuls der Fachperson", "Austausch aus den Kommunen"]
MINUTES = """# Begrüßung
Die Koordination begrüßt die Ehrenamtlichen aus {area}.

# Impuls
- Was hat sich im letzten halben Jahr verändert?
- Welche Angebote gibt es neu?

# Austausch
Die Helferkreise berichten von ihren Erfahrungen und verabreden, Material zu teilen."""
THREADS = [
    (
        "question",
        "de",
        "Wer kennt eine gute Beratungsstelle?",
        "Eine Familie fragt nach Beratung. Hat jemand Erfahrungen?",
    ),
    (
        "tip",
        "en",
        "Free bus tickets for volunteers",
        "Some municipalities give volunteers bus tickets for escort trips. Ask your office.",
    ),
    (
        "experience",
        "ar",
        "تجربتنا مع مقهى اللغة",
        "نلتقي كل أسبوع ونتحدث بالألمانية. الأطفال يحبون ذلك كثيرًا.",
    ),
    (
        "question",
        "uk",
        "Де знайти перекладача?",
        "Шукаємо перекладача на прийом до лікаря. Хто може порадити?",
    ),
    (
        "tip",
        "tr",
        "Ücretsiz Almanca kursu",
        "Halk eğitim merkezinde akşamları ücretsiz kurs var.",
    ),
]
REPLIES = [
    ("de", "Danke für den Hinweis, das probieren wir aus."),
    ("fa", "ما هم تجربه خوبی داشتیم."),
    ("en", "The office in our town helped us quickly."),
]


def _at(months: int, day: int, hour: int):
    base = timezone.localdate() + timedelta(days=30 * months)
    return datetime.combine(base.replace(day=day), time(hour, 0), BERLIN)


@step(60, "Networking platform: a year of meetings, answers, minutes and board threads")
def network(ctx: DemoContext):
    rng = ctx.rng
    district = ctx.district
    ensure_start_platforms(district)
    platforms = list(Platform.objects.filter(district=district))
    roles = list(
        CoordinatorRole.objects.filter(municipality__district=district).select_related(
            "user", "municipality__area"
        )
    )
    reviewer = ctx.users["district_coordinator"]
    volunteers = ctx.users["volunteers"]

    follows = [
        Follow(platform=platform, user=person, wants_digest=rng.random() < 0.3)
        for person in volunteers
        for platform in rng.sample(platforms, k=rng.randint(1, 3))
    ]
    groups = [o for o in ctx.organisations if o.kind == "working_group"]
    follows += [
        Follow(platform=platform, organisation=group)
        for group in groups[::2]
        for platform in rng.sample(platforms, k=2)
    ]
    Follow.objects.bulk_create(follows, ignore_conflicts=True)
    ctx.progress(f"{len(follows)} followers of the six platforms")

    meetings = 0
    for index, platform in enumerate(platforms):
        for position, (months, status) in enumerate(YEAR):
            role = roles[(index + position) % len(roles)]  # rotates through the four areas
            municipality = role.municipality
            starts_at = _at(months, day=8 + index * 3, hour=18)
            meeting = Meeting.objects.create(
                platform=platform,
                municipality=municipality,
                title=f"{platform.name}: Austauschtreffen in {municipality.name}",
                description="Austausch der Ehrenamtlichen mit Fachleuten. (Demo)",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2),
                address=f"Rathaus {municipality.name}, Sitzungssaal",
                accessibility="Barrierefreier Zugang über den Hof, Aufzug vorhanden.",
                format="hybrid" if index % 3 == 0 else "in_person",
                online_link="https://meet.example.org/demo" if index % 3 == 0 else "",
                capacity=rng.choice([None, 12, 25]),
                meeting_languages=["de", rng.choice(["ar", "uk", "fa", "tr"])],
                interpreting=rng.random() < 0.5,
                status=status,
                created_by=role.user,
            )
            meeting.municipalities.set(municipality.area.municipalities.all())
            meeting.organisers.add(role.user)
            expert = Expert.objects.create(
                meeting=meeting,
                name=rng.choice(["Dr. Lena Beispiel", "Murat Muster", "Olena Probe"]),
                field=rng.choice(["Sozialrecht", "Psychotherapie", "Arbeitsmarkt"]),
                email=f"fachperson{meeting.pk}@hilfenetz.example",
                status=ExpertStatus.CONFIRMED,
                consents_to_publication=rng.random() < 0.7,
            )
            AgendaItem.objects.bulk_create(
                AgendaItem(
                    meeting=meeting, position=i, title=title, expert=expert if i == 1 else None
                )
                for i, title in enumerate(AGENDA)
            )
            timeline.record(meeting, "proposed", actor=role.user)
            if status != MeetingStatus.PROPOSED:
                timeline.record(meeting, "agreed", actor=reviewer)
            if status in (MeetingStatus.INVITED, MeetingStatus.MINUTES):
                _invite_and_answer(rng, meeting, role.user)
            if status == MeetingStatus.MINUTES:
                Minutes.objects.create(
                    meeting=meeting,
                    body=MINUTES.format(area=municipality.area.name),
                    decisions="Nächstes Treffen in sechs Monaten\nGemeinsame Materialsammlung",
                    tasks="Kontaktliste an alle schicken\nFachperson für das nächste Mal anfragen",
                    published_at=starts_at + timedelta(days=7),
                    published_by=role.user,
                )
                timeline.record(meeting, "held", actor=role.user)
                timeline.record(meeting, "minutes_published", actor=role.user)
            meetings += 1
    ctx.progress(f"{meetings} meetings across {len(platforms)} platforms")
    _trainings(ctx, platforms, roles[0])

    threads = 0
    for platform in platforms:
        authors = [f.user for f in Follow.objects.filter(platform=platform, user__isnull=False)]
        if len(authors) < 2:
            continue
        for kind, language, title, body in rng.sample(THREADS, k=3):
            author = rng.choice(authors)
            thread = Thread.objects.create(
                platform=platform,
                author=author,
                kind=kind,
                language=language,
                title=title,
                body=body,
            )
            for reply_language, text in rng.sample(REPLIES, k=2):
                Reply.objects.create(
                    thread=thread,
                    author=rng.choice([a for a in authors if a != author]),
                    body=text,
                    language=reply_language,
                    is_helpful=rng.random() < 0.3,
                )
            threads += 1
    ctx.progress(f"{threads} threads on the boards")


def _trainings(ctx, platforms, role):
    """A training held two months ago whose organiser recorded who attended (ehrenamt1@… among
    them: their confirmation lists it) and one coming up that volunteers can register for."""
    platform = next((p for p in platforms if p.slug == "engagement-ehrenamt"), platforms[0])
    municipality = role.municipality
    attendees = ctx.users["volunteers"][:6]
    for months, status in ((-2, MeetingStatus.HELD), (2, MeetingStatus.INVITED)):
        starts_at = _at(months, day=12, hour=17)
        training = Meeting.objects.create(
            platform=platform,
            municipality=municipality,
            kind=MeetingKind.TRAINING,
            title="Schulung: Erste Hilfe für Ehrenamtliche in der Flüchtlingsarbeit",
            description="Grundlagen, Grenzen des Ehrenamts, Ansprechpersonen. (Demo)",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            address=f"Rathaus {municipality.name}, Sitzungssaal",
            capacity=20,
            status=status,
            created_by=role.user,
        )
        training.municipalities.set(municipality.area.municipalities.all())
        training.organisers.add(role.user)
        timeline.record(training, "proposed", actor=role.user)
        timeline.record(training, "agreed", actor=ctx.users["district_coordinator"])
        timeline.record(training, "invited", actor=role.user)
        if status == MeetingStatus.HELD:
            Invitation.objects.bulk_create(
                Invitation(
                    meeting=training,
                    user=person,
                    email=person.email,
                    language=person.preferred_language,
                    reason=InvitationReason.REGISTERED,
                    answer=Answer.YES,
                    answered_at=starts_at - timedelta(days=7),
                    attended=index != 5,  # one said yes and did not come
                )
                for index, person in enumerate(attendees)
            )
            timeline.record(training, "held", actor=role.user)
            timeline.record(training, "attendance", actor=role.user, note="5")
    ctx.progress("2 trainings, the past one with its attendance recorded")


def _invite_and_answer(rng, meeting, organiser):
    """Invite as the service would (without mails) and let people answer."""
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, **r) for r in services.recipients(meeting)
    )
    timeline.record(meeting, "invited", actor=organiser)
    now = timezone.now()
    taken = 0
    for invitation in meeting.invitations.filter(user__isnull=False):
        answer = rng.choice([Answer.YES, Answer.YES, Answer.MAYBE, Answer.NO, Answer.NONE])
        if not answer:
            continue
        invitation.answer, invitation.answered_at = answer, now
        invitation.people = rng.choice([1, 1, 1, 2])
        if answer == Answer.YES:
            if meeting.capacity is not None and taken + invitation.people > meeting.capacity:
                invitation.waiting_since = now
            else:
                taken += invitation.people
        invitation.save(update_fields=["answer", "answered_at", "people", "waiting_since"])
