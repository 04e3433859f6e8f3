// The online surgery's live answers (ADR 18). While the page is open it asks the surgery's
// live address for answers given since the last one it shows, adds them to the list, and
// tells screen readers through the page's polite live region. Without this script the page
// still works: it has a refresh link, and reloads itself while the surgery is live.

const LIVE_EVERY = 5000; // while officers are answering
const WAITING_EVERY = 60000; // before the surgery starts, or after a failed request

const list = document.getElementById("surgery-answers");
if (list && list.dataset.liveUrl) {
  follow(list);
}

function follow(list) {
  const announcer = document.getElementById("surgery-announcer");
  const none = document.getElementById("surgery-none");
  const shown = new Set(
    [...list.querySelectorAll("[data-question-id]")].map((item) => item.dataset.questionId),
  );
  let since = list.dataset.since || "";

  async function poll() {
    let data;
    try {
      const address = since ? `${list.dataset.liveUrl}?since=${encodeURIComponent(since)}` : list.dataset.liveUrl;
      const response = await fetch(address, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok) {
        throw new Error(`The live address answered ${response.status}`);
      }
      data = await response.json();
    } catch {
      window.setTimeout(poll, WAITING_EVERY);
      return;
    }
    const added = [];
    for (const entry of data.answers) {
      since = String(entry.id);
      if (shown.has(since)) {
        continue;
      }
      shown.add(since);
      list.append(answerItem(entry));
      added.push(entry);
    }
    if (added.length > 0) {
      if (none) {
        none.hidden = true;
      }
      announcer.textContent =
        added.length === 1
          ? `New answer. Question: ${added[0].question} Answer: ${added[0].answer}`
          : `${added.length} new answers have been added to the list.`;
    }
    if (data.open) {
      window.setTimeout(poll, data.live ? LIVE_EVERY : WAITING_EVERY);
    }
  }

  window.setTimeout(poll, list.dataset.live === "true" ? LIVE_EVERY : WAITING_EVERY);
}

// The same markup as the server's (operations/surgery.html), made from text only.
function answerItem(entry) {
  const item = document.createElement("li");
  item.className = "app-surgery-answer";
  item.dataset.questionId = String(entry.id);
  const heading = (text) => {
    const element = document.createElement("h3");
    element.className = "govuk-heading-s govuk-!-margin-bottom-1";
    element.textContent = text;
    return element;
  };
  const paragraph = (text) => {
    const element = document.createElement("p");
    element.className = "govuk-body app-surgery-text";
    element.textContent = text;
    return element;
  };
  const answered = heading("Answer ");
  const at = document.createElement("span");
  at.className = "govuk-body-s";
  const time = document.createElement("time");
  time.dateTime = entry.answered_at;
  time.textContent = entry.answered_at_text;
  at.append("at ", time);
  answered.append(at);
  item.append(heading("Question"), paragraph(entry.question), answered, paragraph(entry.answer));
  return item;
}
