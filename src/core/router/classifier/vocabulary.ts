/**
 * A compact programming-intent and everyday-topic vocabulary: concept groups of synonyms.
 * Request text and route descriptions are both mapped into these concepts, so a description that says
 * "crashes" attracts a request that says "exception" whatever the route is called.
 * Entries are plain English words or phrases, `=w` gives a weaker (or stronger) membership than 1.
 */

export interface ConceptDefinition {
  /** Comma-separated words and phrases; `word=0.5` for partial membership. */
  readonly terms: string;
  /** Broader concepts this one is evidence for, with a weight. */
  readonly implies?: Readonly<Record<string, number>>;
  /**
   * A concept that must also be present for this one to count fully: "fix" or "explain" are programming
   * intents only in a request about software.
   */
  readonly dependsOn?: string;
}

const TECHNICAL = { software: 0.7 } as const;
const EVERYDAY = { everyday: 0.7 } as const;

export const VOCABULARY: Readonly<Record<string, ConceptDefinition>> = {
  software: {
    terms:
      'code, coding, coder, source code, program=0.8, programming, programmer, software, developer, dev, devs, function, ' +
      'method=0.6, class=0.5, object=0.4, variable, constant=0.4, parameter, argument=0.4, return=0.4, api, sdk, library, ' +
      'framework, module, package=0.5, dependency, app=0.7, application=0.6, script, algorithm, data structure, compile, ' +
      'compiler, interpreter, parser, lexer, tokenizer, serializer, runtime, syntax, loop, array, string=0.5, integer, float=0.6, boolean, enum, struct, pointer, ' +
      'null=0.6, undefined=0.6, json, yaml, xml, html, css, http=0.3, url=0.3, endpoint, websocket, frontend, backend, web, website, ' +
      'component=0.6, gui, widget, regex, thread=0.5, async, await, promise=0.4, callback, handler, interface=0.5, ' +
      'generic=0.3, inheritance, recursion, repo, repository, ide, vscode, visual studio, plugin, extension=0.4, ' +
      'implementation=0.6, logic=0.4, technical, technology=0.6, computer, tech, snippet, boilerplate, localhost, ' +
      'programming language, language feature, macro=0.6, vba, formula=0.3, bug=0.8, debug, exception, stack trace, ' +
      'traceback, segfault, compile error, unit test, git, command line, terminal=0.6, database=0.6, server=0.5, ' +
      'python, javascript, js, typescript, ts, java, kotlin, swift, objective c, cpp, csharp, fsharp, golang, rust=0.6, ' +
      'ruby=0.6, php, perl, lua, dart, scala, haskell, elixir, erlang, clojure, julia=0.5, matlab, fortran, cobol, ' +
      'pascal, delphi, assembly=0.6, asm, verilog, vhdl, solidity, sql, bash, powershell, vb, visual basic, groovy, ' +
      'prolog, lisp, ocaml, zig, glsl, hlsl, shader, latex=0.5, autohotkey, ahk, apex=0.4, gdscript, ' +
      'react, vue, angular, svelte, nextjs, nuxt, nodejs, npm, deno, expressjs, nestjs, django, flask, fastapi, ' +
      'spring boot, hibernate, rails=0.5, laravel, symfony, wordpress=0.6, dotnet, asp, blazor, wpf, winforms, xamarin, ' +
      'unity=0.6, unreal=0.5, godot, android, ios, xcode, jetpack, flutter, electron=0.5, tkinter, pyqt, qt=0.6, pygame, ' +
      'numpy, pandas, scipy, matplotlib, tensorflow, pytorch, keras, sklearn, opencv, selenium, puppeteer, playwright, ' +
      'jquery, bootstrap=0.5, tailwind, webpack, vite, eslint, redux, axios, jwt, oauth, arduino, raspberry pi, ' +
      'microcontroller, embedded=0.6, firmware, cuda, opengl, vulkan, directx, webgl, webgpu, linux=0.6, unix, kernel=0.6, ' +
      'llm=0.5, openai=0.5, langchain, huggingface, regex, lambda=0.4, binary=0.5, hex=0.4, bit=0.3, byte, memory=0.4, ' +
      'cpu=0.5, gpu=0.5, file=0.3, directory=0.5, folder=0.3, input=0.3, output=0.3, print=0.4, console=0.5',
  },
  create: {
    dependsOn: 'software',
    terms:
      'write=0.8, create, generate, implement, implementation=0.5, build=0.4, make=0.6, add, develop, produce, construct, ' +
      'scaffold, boilerplate, template=0.5, new, draft=0.5, compose=0.4, prototype, design=0.4, extend, feature=0.6, ' +
      'integrate=0.6, insert=0.4, need=0.3, want=0.3, sample code, example code, full code, ' +
      'complete code=0.6, whole code=0.4, convert=0.4, change=0.3, modify=0.4, update=0.3, allow=0.3, ' +
      'support=0.3, option=0.3, solution=0.3, provide=0.4, give=0.3, show=0.2, continue=0.3, finish=0.3, automate, automation, bot=0.4, generator=0.5, calculator=0.5, game=0.3, website=0.3, from scratch, starter, skeleton, mockup=0.5',
  },
  explain: {
    dependsOn: 'software',
    terms:
      'explain, explanation, what=0.3, why=0.8, how=0.3, understand, understanding, describe=0.6, meaning, mean, ' +
      'purpose, concept, difference, differ, versus, vs, compare=0.5, comparison=0.5, possible=0.4, clarify, learn, ' +
      'teach, tutorial, overview, walkthrough, wonder, curious, behave=0.4, definition, define=0.5, recommend=0.4, ' +
      'advantage, disadvantage, pros cons, benefit=0.4, when to use, best way=0.4, architecture=0.4, interpret, ' +
      'where=0.2, which=0.2, whether=0.3, know=0.3, question=0.3, familiar=0.5, importance, significance, equivalent=0.4, alternative=0.4, approach=0.3, example=0.3, use case, idea=0.3, suggest=0.3, recommendation=0.4, guidance=0.5, explain like, eli5, theory=0.3, internally, under hood, work=0.2, works=0.2',
  },
  error: {
    dependsOn: 'software',
    terms:
      'error, exception, bug, buggy, crash, fail, failure, broken, break=0.5, fix, debug, diagnose, troubleshoot, ' +
      'issue=0.6, problem=0.6, wrong, incorrect, unexpected, unexpectedly, traceback, stack trace, stacktrace, panic=0.5, ' +
      'segfault, segmentation fault, core dumped, warning=0.6, mistake, glitch, faulty, defect, regression=0.5, thrown, ' +
      'throw=0.6, hang=0.5, freeze, frozen=0.5, stuck, not work, not show, not display, not load, not run, not compile, ' +
      'not found, not defined, not recognized, not update, not open, not connect, not start, not respond, not appear, ' +
      'not change, not call, not fire, no longer, invalid, cannot=0.4, unable=0.5, refused=0.6, denied=0.5, timeout=0.5, ' +
      'undefined=0.4, null pointer, exit code, resolve=0.4, solve=0.3, correct=0.4, went wrong, weird=0.5, strange=0.4, ' +
      'uncaught, unhandled, mismatch=0.6, missing=0.4, fails, failing, crashed, crashing, errors, error message, trouble, struggling=0.5, nan=0.5, empty=0.3, blank=0.4, conflict=0.4, overflow=0.6, leak, memory leak, deadlock, race condition, infinite loop, permission denied, status code=0.5, unauthorized=0.6, forbidden=0.6, typo=0.5, misbehave, glitchy, flaky, instead=0.3, still=0.2, anymore=0.5',
    implies: { software: 0.2 },
  },
  restructure: {
    dependsOn: 'software',
    terms:
      'refactor, refactoring, restructure, reorganize, rearrange, clean, cleanup, cleaner, simplify, simpler, simple=0.3, ' +
      'shorten, shorter, short=0.3, concise, rename, optimize, optimise, optimization, performance, faster, speedup, ' +
      'slow=0.5, efficient, efficiency, readable, readability, legible, maintainable, maintainability, modernize, ' +
      'modern=0.5, idiomatic, best practice, rewrite, redesign, keep behaviour, keep behavior, ' +
      'without changing, preserve=0.5, extract=0.5, deduplicate, duplication, duplicate=0.5, dry=0.3, modular, modularize, ' +
      'decouple, improve=0.6, improvement=0.6, tidy, polish, reformat, format=0.3, lint, style=0.3, convention, ' +
      'clean code, split=0.3, move=0.3, organize, organise, consolidate, reusable, reuse, ' +
      'abstraction=0.5, design pattern, solid principles, complexity=0.5, refine=0.5, streamline, compact=0.5, elegant=0.5, pythonic, separate=0.4, encapsulate, generalize=0.5, reduce=0.4, unused=0.5, dead code, naming=0.5, code smell, technical debt, legacy=0.5, boilerplate reduction, restructuring, reorganization, clarity=0.5',
  },
  test: {
    terms:
      'test, testing, unit test, integration test, test case, test suite, mock, mocking, stub, fake=0.3, fixture, assert, ' +
      'assertion, coverage, spec=0.6, pytest, jest, junit, mocha, vitest, jasmine, rspec, unittest, xunit, nunit, tdd, bdd, ' +
      'e2e, end to end, qa, edge case, robust=0.3, verify=0.4, validate=0.3, cypress, test driven',
    implies: TECHNICAL,
  },
  shell: {
    terms:
      'shell, command=0.7, command line, cli, terminal, console=0.4, bash, zsh, powershell, cmd, batch file, git, github, ' +
      'gitlab, bitbucket, commit=0.6, branch=0.5, merge=0.4, rebase, clone=0.5, pull request=0.5, npm, yarn, pnpm, pip, ' +
      'conda, apt, yum, brew, homebrew, chocolatey, winget, nuget, package manager, install, installation, ' +
      'uninstall, upgrade=0.6, dependency=0.5, build=0.5, build tool, cmake, makefile, gradle, maven, msbuild, webpack=0.5, ' +
      'docker, dockerfile, docker compose, container, image=0.2, kubernetes, kubectl, k8s, helm, pod=0.5, deploy, ' +
      'deployment, release=0.4, publish=0.5, server, host=0.5, hosting, nginx, apache, iis, tomcat, ci, pipeline, ' +
      'github actions, workflow=0.5, jenkins, travis, circleci, environment, env, environment variable, virtualenv, venv, ' +
      'virtual environment, path=0.4, config=0.6, configuration, configure, setup, settings=0.4, aws, ec2, s3, ' +
      'azure, gcp, google cloud, cloud, ssh, port, proxy, firewall, dns, vpn, network=0.5, ip=0.6, tcp, linux, ubuntu, ' +
      'debian, centos, fedora, windows=0.4, macos, mac=0.3, wsl, operating system, os=0.6, process=0.5, pid, kill=0.5, ' +
      'cron, crontab, service=0.3, daemon, systemd, systemctl, sudo, root=0.3, permission, chmod, chown, log=0.3, ' +
      'backup, vm, virtual machine, vagrant, devops, infrastructure, terraform, ansible, ssl, certificate, domain=0.4, ' +
      'monitoring, health check, load balancer, reverse proxy, cluster, ffmpeg, curl, wget, grep, sed, awk, ls, mkdir, ' +
      'scp, rsync, tmux, vim, flag=0.4, version=0.4, download=0.3, launch=0.4, boot=0.4, run=0.3',
    implies: TECHNICAL,
  },
  database: {
    terms:
      'database, db, dbms, rdbms, sql, mysql, mariadb, postgres, postgresql, sqlite, oracle=0.6, sql server, mssql, tsql, ' +
      'plsql, pl sql, mongodb, mongo, mongosh, dynamodb, redis, cassandra, elasticsearch, firestore, neo4j, nosql, query=0.8, ' +
      'table=0.6, column=0.6, row=0.5, schema=0.8, migration=0.8, index=0.3, join=0.4, select=0.3, insert=0.3, record=0.4, field=0.3, ' +
      'primary key, foreign key, constraint=0.5, orm, sqlalchemy, hibernate=0.6, entity framework, prisma, sequelize, ' +
      'typeorm, eloquent, active record, stored procedure, procedure=0.4, trigger=0.3, materialized view, cursor, ' +
      'transaction=0.4, pandas, dataframe, etl, data transformation, data pipeline, aggregate, aggregation, ' +
      'average=0.3, csv=0.5, excel=0.3, spreadsheet=0.3, data=0.3, dataset=0.5, collection=0.3, key value, ' +
      'bigquery, snowflake, data warehouse, normalization, relational, entity relationship',
    implies: TECHNICAL,
  },
  docs: {
    terms:
      'documentation, document=0.5, docs, doc, docstring, comment, commenting, readme, commit message, changelog, ' +
      'release notes, jsdoc, javadoc, doxygen, annotate=0.6, wiki, guide=0.5, manual=0.5, technical writing, ' +
      'markdown=0.7, api docs, user guide, ticket, issue description, writeup, summary=0.3, specification=0.4, ' +
      'notes=0.4, outline=0.4, bullet points=0.5, report=0.3',
  },
  frontend: {
    terms:
      'frontend, front end, ui, ux, user interface, css, html, layout, style=0.5, styling, stylesheet, responsive, flexbox, ' +
      'grid=0.5, animation=0.6, button=0.6, page=0.4, webpage, dom, browser, react, vue, angular, svelte, component=0.6, ' +
      'tailwind, bootstrap, sass, scss, font=0.5, color=0.4, theme=0.5, visual=0.4, display=0.4, render=0.5, modal, ' +
      'navbar, menu=0.4, form=0.4, click=0.5, jquery, screen=0.4, mobile=0.3',
    implies: TECHNICAL,
  },
  backend: {
    terms:
      'backend, back end, api, rest, restful, endpoint, server=0.5, routing=0.4, controller, middleware, ' +
      'http request, auth, authentication, authorization, jwt, oauth, token=0.5, session=0.5, cookie=0.5, ' +
      'microservice, graphql, grpc, expressjs, django, flask=0.5, fastapi, spring boot, nestjs, rails, laravel, webhook, json=0.4, ' +
      'payload, header=0.5, status code, crud, websocket',
    implies: TECHNICAL,
  },
  machine_learning: {
    terms:
      'machine learning, ml, ai=0.6, model=0.5, train, training, neural, neural network, deep learning, dataset=0.5, ' +
      'classification, prediction=0.4, predict=0.4, tensorflow, pytorch, keras, sklearn, scikit learn, embedding, ' +
      'llm, gpt, bert, nlp, computer vision, cnn, rnn, lstm, accuracy=0.4, epoch, fine tune, inference=0.5',
    implies: TECHNICAL,
  },
  mobile: {
    terms:
      'android, ios, iphone, mobile, app store, play store, kotlin, swift, flutter, react native, jetpack compose, xcode, ' +
      'android studio, apk, tablet',
    implies: TECHNICAL,
  },
  security: {
    terms:
      'security, secure, vulnerability, exploit, attack=0.5, hack=0.5, hacker, password, encryption, encrypt, decrypt, ' +
      'hash=0.4, xss, csrf, sql injection, malware, penetration, pentest, nmap, ctf, cve',
    implies: { software: 0.4 },
  },
  everyday: {
    terms:
      'general=0.6, everyday, daily, knowledge, general knowledge, trivia, advice, advise, tip, life, personal, ' +
      'conversation, chat=0.5, small talk, talk=0.5, opinion, casual, fun, joke, human, people, person=0.5, world, ' +
      'hobby, non technical',
  },
  writing: {
    terms:
      'essay, letter, poem, poetry, story, novel, fiction, email=0.5, blog=0.5, article, speech, lyrics, paragraph, ' +
      'sentence=0.5, grammar, proofread, tone, title=0.5, headline, slogan, caption, cover letter, resume, cv, biography, ' +
      'summarize=0.5, paraphrase, prose, creative writing, copywriting, heartfelt, wording, cover letter, message=0.3, reply=0.4, review=0.3, toast, eulogy, invitation, announcement, newsletter, social media, instagram, tweet, twitter=0.6, linkedin, youtube=0.5, tiktok, rephrase, reword, formal=0.5, polite, apology, thank you note, greeting, wish=0.4, quote=0.4, motivational, inspirational, character=0.3, plot, screenplay, name ideas, catchy',
    implies: EVERYDAY,
  },
  natural_language: {
    terms:
      'translate, translation, translator, english, spanish, french, german, chinese, japanese, russian, arabic, italian, ' +
      'portuguese, hindi, korean, language=0.3, phrase=0.5, idiom, pronounce, pronunciation, vocabulary, ' +
      'synonym, fluent',
    implies: EVERYDAY,
  },
  education: {
    terms:
      'math, mathematics, homework, exam, quiz, school, student, teacher, lesson, course=0.4, university, college, study, ' +
      'equation, algebra, geometry, calculus, derivative, triangle, angle, cosine, sine, probability=0.5, ' +
      'statistics=0.5, physics, chemistry, biology, science, scientific, titration, acid, molecule, atom, theorem, ' +
      'proof=0.5, history, historical, geography, philosophy, psychology, economics, sociology, literature, ' +
      'research=0.4, academic, thesis, paper=0.4, grade=0.4, mba, lecture, professor, assignment=0.4, textbook, curriculum, semester, worksheet, fraction, percentage=0.4, integral, hypothesis, experiment=0.4, theory=0.4, war, empire, ancient, century, revolution, king, queen, president, election, politics, political, government, religion, god, bible, culture, society, climate, planet, universe, animal, plant=0.5, ocean, essay question, explain simply',
    implies: EVERYDAY,
  },
  food: {
    terms:
      'food, recipe, cook, cooking, bake, baking, meal, dinner, lunch, breakfast, ingredient, dish, kitchen, restaurant, ' +
      'diet, vegan, vegetarian, cuisine, flavor, sauce, oven, chicken, pasta, bread=0.6, cake, dessert, wine, coffee, ' +
      'tea, eat, nutrition, calorie, grill, soup, spice, fruit, vegetable, banana, snack, drink=0.5, cocktail, beer, grocery, groceries',
    implies: EVERYDAY,
  },
  travel: {
    terms:
      'travel, trip, vacation, holiday, flight, fly, airport, airline, hotel, booking, itinerary, destination, tourist, ' +
      'tourism, visa, passport, luggage, beach, city=0.4, country=0.4, visit, sightseeing, tour, backpacking, road trip, ' +
      'cruise, museum, weekend=0.4, sightsee, landmark, train ticket, rent car',
    implies: EVERYDAY,
  },
  legal: {
    terms:
      'law, legal, lawyer, attorney, court, judge, lawsuit, sue, contract, agreement=0.5, clause, rights, liability, ' +
      'legislation, legislator, regulation, statute, tenant, landlord, lease, divorce, custody, copyright=0.6, trademark, ' +
      'patent, license=0.3, gdpr=0.5, compliance=0.5, police, crime, criminal',
    implies: EVERYDAY,
  },
  health: {
    terms:
      'health, healthy, medical, doctor, disease, symptom, pain, medicine, medication, hospital, therapy, mental health, ' +
      'anxiety, depression, sleep, exercise, workout, fitness, weight=0.5, pregnancy, illness, injury, covid, vaccine, muscle, protein, vitamin, skin, hair, weight loss, blood, heart=0.4, dentist, alcohol, smoking, stress, meditation, yoga, headache, allergy, diabetes, therapist',
    implies: EVERYDAY,
  },
  finance: {
    terms:
      'money, finance, financial, budget, invest, investment, investor, stock=0.6, stock market, crypto=0.4, tax, ' +
      'salary=0.5, loan, mortgage, bank, retirement, business, company=0.5, startup=0.5, entrepreneur, marketing, ' +
      'sales=0.4, customer=0.4, consulting, niche, brand, branding, profit, revenue, price=0.4, pricing=0.4, ' +
      'economy, ceo, hiring, interview=0.4, career, job=0.5, employee, upsell, strategy=0.4, proposal=0.4, pitch, hedge, inflation, asset, portfolio, bond=0.5, gold, currency, dollar, euro, interest rate, credit=0.5, debt, insurance, guest, client=0.3, airbnb, rental, real estate, property=0.3, product=0.3, sell=0.5, buy=0.4, purchase=0.4, market=0.4, advertising, ads=0.4, campaign, seo=0.4, shop=0.3, small business, negotiation, resignation, promotion=0.4',
    implies: EVERYDAY,
  },
  relationships: {
    terms:
      'relationship, family, friend, marriage, married, wife, husband, partner=0.4, mom, mother, dad, father, parent, ' +
      'child, kid, baby, love, dating, wedding, birthday, gift, party, home, house, pet, dog, cat, horse, garden, ' +
      'feeling, emotion, happy, sad, girlfriend, boyfriend, boss=0.5, coworker, colleague=0.4, neighbor, breakup, roommate, wedding speech, anniversary',
    implies: EVERYDAY,
  },
  entertainment: {
    terms:
      'movie, film, tv, series=0.3, music, song, band, album, book, sport, football, soccer, basketball, baseball, ' +
      'super bowl, nfl, team=0.3, player=0.3, celebrity, art, painting, drawing=0.5, photography, netflix, game=0.3, steam=0.5, fps=0.4, gaming, gamer, xbox, playstation, nintendo, minecraft=0.5, fortnite, chess, puzzle, riddle, anime, manga, comic, actor, actress, tv show, podcast, concert, festival, racehorse, race=0.4',
    implies: EVERYDAY,
  },
};
