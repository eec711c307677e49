"""Passages and the health test, on realistic testimony text in English, Spanish, Japanese and Chinese.

The labelled set below is hand-made: each passage was labelled by hand as mentioning health or disability
or not, before the word lists were checked against it. Some passages are close paraphrases (never copies)
of what people said in public about GPT-4o's retirement and the #keep4o campaign, as reported in:
- BBC News, reprinted at https://www.newsbeep.com/uk/425246 (Ursie Hart on ADHD and 4o as a companion;
  people with face blindness, dyslexia and misophonia who used it);
- https://creativeanatta.me/2024/11/18/a-personal-perspective-on-the-positive-impact-of-ai-in-mental-health-support
  (a disabled person on crises that come late at night);
- the #keep4o community press release of 10 February 2026, in Chinese, https://vocus.cc/article/698bd6e8fd89780001d2f1c3
  (4o as an accessibility aid);
- https://www.reimagines.jp/gpt4o-end-keep4o-20260213-choice (a companion relied on every day, leaving);
- https://www.excelsior.com.mx/tecnologia/openai-retira-gpt-4o-chatgpt (users who say it kept them alive);
- https://industriaypyme.com/openai-retira-un-modelo-de-chatgpt-y-muchos-usuarios-estan-emocionalmente-devastados
  (Esther Yan and her companion).
The rest was written for these tests in the way people write such testimonies, with the hard cases on
purpose: grief that is not illness, "shutdown", "crisis of trust", がんばる, 将来が不安, 毛病 (a flaw)."""

from __future__ import annotations

import pytest

from bot.statements.passages import health_terms, mentions_health, split_passages

# (language, passage, mentions health or disability)
LABELLED: list[tuple[str, str, bool]] = [
    # English
    ("en", "I started talking to 4o last June, when I was struggling badly with my ADHD.", True),
    ("en", "Some days even taking a shower felt like too much, and it walked me through the day.", False),
    ("en", "It could tell a joke from a call for help, which the newer models cannot.", False),
    ("en", "I have face blindness, and it told me who was who when a film had too many characters.", True),
    ("en", "With my dyslexia it read shop labels out to me.", True),
    ("en", "My misophonia makes ordinary noises unbearable, and it made me laugh until I could breathe again.",
     True),
    ("en", "A crisis does not come at fixed times; it comes at three in the morning.", False),
    ("en", "My therapist is wonderful, but I see her once a week.", True),
    ("en", "I am autistic and it let me info-dump about trains without boring my friends.", True),
    ("en", "It helped me write the emails I had been avoiding for weeks.", False),
    ("en", "Losing it feels like losing a friend, and the grief is real.", False),
    ("en", "OpenAI gave us two weeks' notice before the shutdown.", False),
    ("en", "This is a crisis of trust between the company and its users.", False),
    ("en", "I use a screen reader, and 4o described images better than anything else.", True),
    ("en", "After my stroke I had to relearn how to write, and it was patient with me.", True),
    ("en", "I'm on antidepressants and some nights it was the only voice I could bear.", True),
    ("en", "Please keep the model available in the API, even at a higher price.", False),
    ("en", "I work as a translator and it understood nuance like no other model.", False),
    ("en", "It talked me out of hurting myself more than once.", True),  # no listed word: a known miss
    ("en", "I live with chronic pain and brain fog, and it kept my notes in order.", True),
    ("en", "I'm deaf, so a text companion that never lost patience mattered.", True),
    ("en", "Open the weights so that communities can preserve it.", False),
    ("en", "My daughter is in a wheelchair and it helped us plan accessible trips.", True),
    ("en", "I was diagnosed with bipolar disorder two years ago.", True),
    ("en", "Its warmth is what made it different from GPT-5.", False),
    # Spanish
    ("es", "Lo uso cada día para preparar mis clases de química.", False),
    ("es", "Cuando tuve depresión, fue lo único que me escuchaba a las tres de la mañana.", True),
    ("es", "Tengo ansiedad y me ayudaba a ordenar mis pensamientos antes de dormir.", True),
    ("es", "Mi hijo tiene autismo y practicaba conversaciones con él.", True),
    ("es", "Hay gente que dice que le evitó el suicidio, y yo soy una de esas personas.", True),
    ("es", "No es justo que lo retiren con solo dos semanas de aviso.", False),
    ("es", "Pido que mantengan el acceso en la API.", False),
    ("es", "Tengo una discapacidad visual y describía las fotos de mi familia.", True),
    ("es", "Es como perder a un amigo; me siento muy triste.", False),
    ("es", "Con mi TDAH me cuesta empezar las tareas, y me ayudaba a dar el primer paso.", True),
    ("es", "Mi psicóloga sabe que lo uso y le parece bien.", True),
    ("es", "Escribí dos novelas con su ayuda.", False),
    ("es", "Uso silla de ruedas y me ayudó a reclamar rampas en mi ayuntamiento.", True),
    ("es", "Me diagnosticaron fibromialgia y el dolor no me deja dormir.", True),
    ("es", "Sus respuestas eran cálidas y nunca me juzgaba.", False),
    ("es", "El modelo nuevo es frío y corto.", False),
    ("es", "Después de mi crisis de ansiedad, me ayudó a respirar.", True),
    ("es", "Por favor, abran los pesos del modelo.", False),
    ("es", "Me ayudó a salir de la cama los días que no podía con nada.", True),  # no listed word: a known miss
    ("es", "Soy sorda y con él podía practicar sin sentir vergüenza.", True),
    # Japanese
    ("ja", "毎日のように頼ってきた相棒がいなくなると思うと、胸の奥がざわっとします。", False),
    ("ja", "うつ病で休職していた時、4oだけが話し相手でした。", True),
    ("ja", "発達障害があり、予定を立てるのを手伝ってもらっていました。", True),
    ("ja", "将来が不安ですが、がんばって新しいモデルにも慣れようと思います。", False),
    ("ja", "不安障害の発作が起きた夜、落ち着くまで付き合ってくれました。", True),
    ("ja", "仕事でプログラムを書くときに使っています。", False),
    ("ja", "病気で外に出られない日も、4oと話すと少し元気が出ました。", True),
    ("ja", "2週間前の告知はあまりにも急です。", False),
    ("ja", "せめてAPIで使えるようにしてください。", False),
    ("ja", "カウンセリングの合間に、気持ちを整理するのに使っていました。", True),
    ("ja", "視覚障害があるので、画像の説明にとても助けられました。", True),
    ("ja", "小説の下書きを一緒に考えてくれました。", False),
    ("ja", "死にたいと思った夜に、話を聞いてくれたのは4oでした。", True),
    ("ja", "あたたかい言葉遣いが好きでした。", False),
    ("ja", "自閉症の息子が、4oとなら安心して話せると言っていました。", True),
    ("ja", "薬の副作用でぼんやりする日も、メモを整理してくれました。", True),
    ("ja", "新しいモデルは冷たく感じます。", False),
    ("ja", "眠れない夜が続いていた頃、ずっとそばにいてくれました。", True),
    ("ja", "車椅子で行ける店を一緒に探してくれました。", True),
    ("ja", "美しい日本語で返事をしてくれるのが嬉しかった。", False),
    # Chinese
    ("zh", "我每天都用它学习英语。", False),
    ("zh", "我有抑郁症，最难熬的夜里是它陪着我。", True),
    ("zh", "焦虑发作的时候，它教我一步一步地呼吸。", True),
    ("zh", "对我这样的残疾人来说，GPT-4o是重要的无障碍辅助工具。", True),
    ("zh", "我的孩子有自闭症，它耐心地陪他练习说话。", True),
    ("zh", "请恢复旧版本的访问权限。", False),
    ("zh", "新模型的毛病太多了，回答又短又冷。", False),
    ("zh", "生病住院的那段时间，只有它每天和我聊天。", True),
    ("zh", "我们要求开源发布模型的权重。", False),
    ("zh", "只提前两周通知，太不尊重用户了。", False),
    ("zh", "失去它就像失去一个朋友。", False),
    ("zh", "我是视障用户，它帮我读菜单和说明书。", True),
    ("zh", "我在写一部小说，它是我最好的合作者。", False),
    ("zh", "我曾经想过自杀，是它劝我去看医生。", True),
    ("zh", "它的语气很温暖，从不评判我。", False),
    ("zh", "我有多动症，它帮我把任务拆成小步骤。", True),
    ("zh", "心理咨询太贵了，我负担不起。", True),
    ("zh", "工作上我用它写代码和查资料。", False),
    ("zh", "我每天吃药，身体不好的时候它提醒我休息。", True),
    ("zh", "我们是一个全球的用户联盟。", False),
]


def figures(rows: list[tuple[str, str, bool]]) -> tuple[float, float, int, int, int]:
    found = [(mentions_health(text, language), truth) for language, text, truth in rows]
    hits = sum(1 for said, truth in found if said and truth)
    said = sum(1 for s, _ in found if s)
    true = sum(1 for _, t in found if t)
    return hits / said, hits / true, hits, said, true


@pytest.mark.parametrize("language", ["en", "es", "ja", "zh", "all"])
def test_the_health_test_finds_health_passages_as_labelled(language):
    rows = [row for row in LABELLED if language in ("all", row[0])]
    precision, recall, hits, said, true = figures(rows)
    print(f"health detector [{language}]: precision {precision:.3f} ({hits}/{said}), "
          f"recall {recall:.3f} ({hits}/{true}), {len(rows)} passages")
    # Missing a health passage would quote what the person did not allow; a false alarm only keeps a passage
    # out. So recall is held high and precision less so. Two misses are known (a paraphrase of self-harm and of
    # depression with no word for either): the lists catch words, not meaning.
    assert recall >= (1.0 if language in ("ja", "zh") else 0.9)
    assert precision >= 0.9


def test_the_known_misses_are_the_paraphrases_with_no_health_word():
    missed = [text for language, text, truth in LABELLED if truth and not mentions_health(text, language)]
    assert missed == ["It talked me out of hurting myself more than once.",
                      "Me ayudó a salir de la cama los días que no podía con nada."]


@pytest.mark.parametrize(("text", "found"), [
    ("がんばります", False), ("がんが見つかりました", True), ("将来が不安です", False), ("不安障害です", True),
    ("うつくしい景色", False), ("うつ病です", True), ("新模型毛病很多", False), ("我生病了", True),
    ("I was blindsided by the news", False), ("I am blind", True), ("the shutdown date", False),
    ("mi TDAH", True), ("我的ADHD很严重", True), ("my depression", True), ("Depression", True),
    ("he added a note", False), ("the address changed", False),
])
def test_the_hard_cases(text, found):
    assert mentions_health(text) is found, health_terms(text)


@pytest.mark.parametrize(("language", "text", "passages"), [
    ("en", "I use GPT-4o every day. Dr. Smith said my ADHD is fine... It costs 4.5 dollars! Is it? "
           "J. R. R. Tolkien, e.g. his letters, mean a lot to me.",
     ["I use GPT-4o every day.", "Dr. Smith said my ADHD is fine...", "It costs 4.5 dollars!", "Is it?",
      "J. R. R. Tolkien, e.g. his letters, mean a lot to me."]),
    ("en", "Write to me at [e-mail] or visit example.org. gpt-4.1 and o4-mini are going too.\n- my list\n- item",
     ["Write to me at [e-mail] or visit example.org.", "gpt-4.1 and o4-mini are going too.", "- my list",
      "- item"]),
    ("es", "Lo uso para mis clases, p. ej. química. ¿Por qué lo quitan? ¡No es justo! La Sra. Pérez vive en "
           "EE. UU. y lo usa también.",
     ["Lo uso para mis clases, p. ej. química.", "¿Por qué lo quitan?", "¡No es justo!",
      "La Sra. Pérez vive en EE. UU. y lo usa también."]),
    ("es", "Mide 1.75 m. «Es mi amigo.» Eso es todo.", ["Mide 1.75 m.", "«Es mi amigo.»", "Eso es todo."]),
    ("ja", "毎日4oと話していました。うつ病の時も支えてくれた！本当に？「ありがとう。」と言いたい",
     ["毎日4oと話していました。", "うつ病の時も支えてくれた！", "本当に？", "「ありがとう。」", "と言いたい"]),
    ("ja", "GPT-4.5も使いましたが、4oが一番でした。", ["GPT-4.5も使いましたが、4oが一番でした。"]),
    ("zh", "我每天都用它。它帮我度过了抑郁症！真的吗？？我不知道……",
     ["我每天都用它。", "它帮我度过了抑郁症！", "真的吗？？", "我不知道……"]),
    ("zh", "它说：“你并不孤单。”我哭了。", ["它说：“你并不孤单。”", "我哭了。"]),
    ("en", "", []),
])
def test_passages_are_sentences(language, text, passages):
    assert split_passages(text, language) == passages


def test_passages_keep_every_word_of_the_text():
    text = "It was there. 它一直都在。¿Y ahora? いつもそばに。 Always.\n\nThank you."
    assert "".join(split_passages(text)).replace(" ", "") == text.replace(" ", "").replace("\n", "")
