"""Home: what the quiz is, how long it takes, what happens to the answers, start."""

import streamlit as st

from quiz.adaptive import TYPICAL_ASKED
from webapp import resources, routes, state

t = resources.text()
bank = resources.bank()
# The adaptive quiz stops once the result is sure: a typical person answers TYPICAL_ASKED.
asked = min(TYPICAL_ASKED, len(bank.questions))
minutes = max(1, round(asked * 8 / 60))  # about 8 seconds per statement

st.title(t.t("home.title"))
st.write(t.t("home.intro"))
st.markdown(
    "\n".join(
        [
            f"- {t.t('home.length', asked=asked, questions=len(bank.questions), minutes=minutes)}",
            f"- {t.t('home.result', roles=len(bank.roles))}",
            f"- {t.t('home.privacy')}",
            f"- {t.t('home.honesty')}",
        ]
    )
)
answered = len(state.answers())
start, explore = st.columns(2)
label = t.t("home.resume", answered=answered, total=len(bank.questions)) if answered else t.t("home.start")
if start.button(label, type="primary", key="start", width="stretch"):
    routes.switch_to("quiz")
if explore.button(t.t("home.explore"), key="explore", width="stretch"):
    routes.switch_to("roles")
st.caption(t.t("home.sources"))
