/// The OpenAPI 3.1 description of every route the server has, served at `/v1/openapi.yaml`.
///
/// Written by hand; `OpenAPITests` checks that its paths and methods are exactly the router's.
public enum OpenAPIDocument {
    /// The document, YAML.
    public static let yaml = """
        openapi: 3.1.0
        info:
          title: Criteria server
          version: "1"
          summary: Security-and-order criteria of Vietnam's New Rural Development programme, over HTTP.
          description: |
            The JSON API uses the versioned output model of Docs/explanations.md (version 1). Every refused
            request is answered with a 4xx (or 503 when the server is saturated) and the diagnostics model;
            never with a 500 for a request's own fault. Bodies are limited to 8 MiB (413 above), each request
            to 5 seconds of wall clock, evaluations to one per processor at a time, and the bodies held at once,
            all requests together, to 64 MiB by default (503 with Retry-After above either).
            A method an address does not answer is 405 request.method-not-allowed with an Allow header;
            any request may get 400 request.missing-host or 421 request.unknown-host when the server is
            started with --allowed-host, and any POST 403 request.cross-site when a browser sends it from
            another site. The server binds 127.0.0.1 by default; see Docs/server.md.
          license:
            name: See the repository
        servers:
          - url: http://127.0.0.1:8080
        tags:
          - name: api
            description: JSON API
          - name: pages
            description: Server-rendered web pages (HTML), Vietnamese by default, English with ?lang=en
        paths:
          /v1/openapi.yaml:
            get:
              tags: [api]
              summary: This document
              operationId: openapi
              responses:
                "200":
                  description: The OpenAPI document
                  content:
                    application/yaml:
                      schema: {type: string}
                "400": {$ref: "#/components/responses/Problem"}
                "421": {$ref: "#/components/responses/UnknownHost"}
          /v1/status:
            get:
              tags: [api]
              summary: The rule set served, the last failed reload, and the limits
              operationId: status
              responses:
                "200":
                  description: Status
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Status"}
                "400": {$ref: "#/components/responses/Problem"}
                "421": {$ref: "#/components/responses/UnknownHost"}
          /v1/samples:
            get:
              tags: [api]
              summary: The bundled sample datasets
              operationId: samples
              responses:
                "200":
                  description: Samples
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Samples"}
                "400": {$ref: "#/components/responses/Problem"}
                "421": {$ref: "#/components/responses/UnknownHost"}
          /v1/criteria:
            get:
              tags: [api]
              summary: List the criteria served
              operationId: listCriteria
              responses:
                "200":
                  description: The criteria in evaluation order
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/CriteriaList"}
                "400": {$ref: "#/components/responses/Problem"}
                "421": {$ref: "#/components/responses/UnknownHost"}
          /v1/criteria/{id}:
            get:
              tags: [api]
              summary: One criterion with its versions, clauses, parameters, inputs and tests
              operationId: getCriterion
              parameters:
                - {$ref: "#/components/parameters/CriterionId"}
              responses:
                "200":
                  description: The criterion
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/CriterionDetail"}
                "404": {$ref: "#/components/responses/Problem"}
                "400": {$ref: "#/components/responses/Problem"}
                "421": {$ref: "#/components/responses/UnknownHost"}
          /v1/evaluations:
            post:
              tags: [api]
              summary: Evaluate a dataset as of a date and record the decision
              description: |
                The dataset is the body: YAML (application/yaml) or JSON (application/json), or a
                multipart/form-data form with CSV tables in fields province, districts, communes, hamlets and units (successions for successions.csv)
                (each optional; dataset for dataset.csv), a file field (YAML or JSON by its name), or a sample
                field naming a bundled sample. as_of and criteria may also be form fields.
              operationId: evaluate
              parameters:
                - name: as_of
                  in: query
                  description: The evaluation date, YYYY-MM-DD (required here or as a form field)
                  schema: {type: string, format: date}
                - name: criteria
                  in: query
                  description: Criteria to evaluate, comma-separated or repeated; all when absent
                  schema: {type: string}
                - name: name
                  in: query
                  description: What to call an uploaded YAML or JSON document in the record
                  schema: {type: string}
              requestBody:
                required: true
                content:
                  application/yaml:
                    schema: {type: string}
                  application/json:
                    schema: {type: object}
                  multipart/form-data:
                    schema:
                      type: object
                      properties:
                        province: {type: string, contentMediaType: text/csv}
                        districts: {type: string, contentMediaType: text/csv}
                        communes: {type: string, contentMediaType: text/csv}
                        hamlets: {type: string, contentMediaType: text/csv}
                        units: {type: string, contentMediaType: text/csv}
                        successions: {type: string, contentMediaType: text/csv}
                        dataset: {type: string, contentMediaType: text/csv}
                        file: {type: string, contentMediaType: application/octet-stream}
                        sample: {type: string}
                        as_of: {type: string, format: date}
                        criteria: {type: string}
              responses:
                "201":
                  description: |
                    The decision record, with every verdict and its short explanation (the conditions that
                    decided it); a unit's full trees are rebuilt by GET /v1/decisions/{id}/entities/{entity}?full=1.
                    A request answered 503 records nothing; 413 also when the record would pass its cap.
                  headers:
                    Location:
                      description: The record's address
                      schema: {type: string}
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/DecisionRecord"}
                "400": {$ref: "#/components/responses/Problem"}
                "413": {$ref: "#/components/responses/Problem"}
                "415": {$ref: "#/components/responses/Problem"}
                "422": {$ref: "#/components/responses/Problem"}
                "503": {$ref: "#/components/responses/Busy"}
                "403": {$ref: "#/components/responses/CrossSite"}
                "421": {$ref: "#/components/responses/UnknownHost"}
                "500": {$ref: "#/components/responses/Problem"}
          /v1/decisions:
            get:
              tags: [api]
              summary: The most recent decision records
              operationId: listDecisions
              parameters:
                - name: limit
                  in: query
                  description: How many records, a whole number of at least 1 (400 otherwise); more than 100 is brought down to 100
                  schema: {type: integer, minimum: 1, default: 20}
              responses:
                "200":
                  description: Newest first
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/DecisionList"}
                "400": {$ref: "#/components/responses/Problem"}
                "421": {$ref: "#/components/responses/UnknownHost"}
                "500": {$ref: "#/components/responses/Problem"}
          /v1/decisions/{id}:
            get:
              tags: [api]
              summary: Read a decision record, exactly as it was recorded
              operationId: getDecision
              parameters:
                - {$ref: "#/components/parameters/DecisionId"}
              responses:
                "200":
                  description: The record
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/DecisionRecord"}
                "404": {$ref: "#/components/responses/Problem"}
                "500": {$ref: "#/components/responses/Problem"}
                "503": {$ref: "#/components/responses/Busy"}
                "400": {$ref: "#/components/responses/Problem"}
                "421": {$ref: "#/components/responses/UnknownHost"}
          /v1/decisions/{id}/entities/{entity}:
            get:
              tags: [api]
              summary: One unit of a decision record, as recorded or with its full explanation trees rebuilt
              description: |
                Reads one unit out of the record without decoding the others. With full=1 the unit's
                verdicts are evaluated again from the record's kept rule files and input and explained in
                full; the outcomes must equal the recorded ones (422 request.not-reproducible otherwise).
              operationId: getDecisionEntity
              parameters:
                - {$ref: "#/components/parameters/DecisionId"}
                - name: entity
                  in: path
                  required: true
                  schema: {type: string}
                - name: full
                  in: query
                  description: 1 for the full explanation trees; any other value gives the unit as recorded
                  schema: {type: string, examples: ["1"]}
              responses:
                "200":
                  description: The unit
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/DecisionEntity"}
                "404": {$ref: "#/components/responses/Problem"}
                "422": {$ref: "#/components/responses/Problem"}
                "503": {$ref: "#/components/responses/Busy"}
                "400": {$ref: "#/components/responses/Problem"}
                "421": {$ref: "#/components/responses/UnknownHost"}
                "500": {$ref: "#/components/responses/Problem"}
          /v1/check:
            post:
              tags: [api]
              summary: Check a change set (one rule file, or several with files) against the served rules (which it never changes)
              description: |
                Each file stands in for the served file at the same path (or is a new file, or with
                removed: true leaves the served one out); rule test files (in a tests/ folder) are read
                against the rules so changed. 200 with the changed files' warnings and notes when they
                check; 422 with every error when they do not. A path outside the rules folder, a path
                given twice or more than 64 files is 400; a file above the rule file limit is 413.
              operationId: checkRule
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/RuleEdit"}
              responses:
                "200":
                  description: The rules check
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Diagnostics"}
                "400": {$ref: "#/components/responses/Problem"}
                "413": {$ref: "#/components/responses/Problem"}
                "422": {$ref: "#/components/responses/Problem"}
                "403": {$ref: "#/components/responses/CrossSite"}
                "415": {$ref: "#/components/responses/Problem"}
                "421": {$ref: "#/components/responses/UnknownHost"}
                "503": {$ref: "#/components/responses/Busy"}
          /v1/tests:
            post:
              tags: [api]
              summary: Run the rule tests with a change set standing in (its test files too)
              operationId: runTests
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/RuleEdit"}
              responses:
                "200":
                  description: The test report (failed tests are a result, not an error)
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/TestReport"}
                "400": {$ref: "#/components/responses/Problem"}
                "422": {$ref: "#/components/responses/Problem"}
                "503": {$ref: "#/components/responses/Busy"}
                "403": {$ref: "#/components/responses/CrossSite"}
                "413": {$ref: "#/components/responses/Problem"}
                "415": {$ref: "#/components/responses/Problem"}
                "421": {$ref: "#/components/responses/UnknownHost"}
          /v1/diff:
            post:
              tags: [api]
              summary: The verdicts a change set would change on a sample dataset or an uploaded one (upload)
              operationId: diff
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/RuleEdit"}
              responses:
                "200":
                  description: The rule changes and every verdict that changes
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/VerdictDiff"}
                "400": {$ref: "#/components/responses/Problem"}
                "422": {$ref: "#/components/responses/Problem"}
                "503": {$ref: "#/components/responses/Busy"}
                "403": {$ref: "#/components/responses/CrossSite"}
                "413": {$ref: "#/components/responses/Problem"}
                "415": {$ref: "#/components/responses/Problem"}
                "421": {$ref: "#/components/responses/UnknownHost"}
          /v1/changes.zip:
            post:
              tags: [api]
              summary: Download a change set as a zip of its files and a patch (thay-doi.patch)
              description: |
                The zip holds each edited or new file at <rules folder name>/<path> (Rules/xa-ntm/19.2.yaml)
                and thay-doi.patch, a unified diff that `git apply` accepts at the folder holding the rules
                folder (the repository root), described by the `criteria changes` text of the change
                (Vietnamese, English with ?lang=en). A change that does not check is 422.
              operationId: downloadChanges
              parameters:
                - {$ref: "#/components/parameters/Lang"}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/RuleEdit"}
              responses:
                "200":
                  description: The zip archive
                  headers:
                    Content-Disposition: {schema: {type: string}}
                  content:
                    application/zip:
                      schema: {type: string, format: binary}
                "400": {$ref: "#/components/responses/Problem"}
                "422": {$ref: "#/components/responses/Problem"}
                "503": {$ref: "#/components/responses/Busy"}
                "403": {$ref: "#/components/responses/CrossSite"}
                "413": {$ref: "#/components/responses/Problem"}
                "415": {$ref: "#/components/responses/Problem"}
                "421": {$ref: "#/components/responses/UnknownHost"}
          /v1/rule-file:
            get:
              tags: [api]
              summary: A served rule or rule test file's text, for the playground to open it
              operationId: ruleFile
              parameters:
                - name: file
                  in: query
                  required: true
                  description: Its path under the rules folder, e.g. xa-ntm/19.2.yaml or xa-ntm/tests/19.2.yaml
                  schema: {type: string}
              responses:
                "200":
                  description: The file
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/RuleFile"}
                "400": {$ref: "#/components/responses/Problem"}
                "404": {$ref: "#/components/responses/Problem"}
                "421": {$ref: "#/components/responses/UnknownHost"}
          /:
            get:
              tags: [pages]
              summary: The inspector page (upload or choose a dataset, date, criteria)
              operationId: inspectorPage
              parameters:
                - {$ref: "#/components/parameters/Lang"}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "421": {$ref: "#/components/responses/PageUnknownHost"}
          /inspect:
            post:
              tags: [pages]
              summary: The inspector form; redirects to the new decision's page (or, with a plan field, to its plan page)
              operationId: inspect
              requestBody:
                required: true
                content:
                  multipart/form-data:
                    schema: {type: object}
              responses:
                "303":
                  description: See the decision record page, or /decisions/{id}/plans/{plan} when the form names a plan
                "400": {$ref: "#/components/responses/PageProblem"}
                "413": {$ref: "#/components/responses/PageProblem"}
                "415": {$ref: "#/components/responses/PageProblem"}
                "422": {$ref: "#/components/responses/PageProblem"}
                "503": {$ref: "#/components/responses/PageProblem"}
                "403": {$ref: "#/components/responses/PageCrossSite"}
                "421": {$ref: "#/components/responses/PageUnknownHost"}
                "500": {$ref: "#/components/responses/PageProblem"}
          /decisions:
            get:
              tags: [pages]
              summary: Open a decision by id (?id=); redirects to its page
              operationId: openDecision
              parameters:
                - name: id
                  in: query
                  schema: {type: string}
              responses:
                "303":
                  description: See the decision record page
                "400": {$ref: "#/components/responses/PageProblem"}
                "421": {$ref: "#/components/responses/PageUnknownHost"}
          /decisions/{id}:
            get:
              tags: [pages]
              summary: A decision record's page, drawn from the stored JSON
              operationId: decisionPage
              parameters:
                - {$ref: "#/components/parameters/DecisionId"}
                - {$ref: "#/components/parameters/Lang"}
                - name: show
                  in: query
                  description: problems for only the units that fail or are unknown; any other value shows every unit
                  schema: {type: string, examples: [problems]}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "404": {$ref: "#/components/responses/PageProblem"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "421": {$ref: "#/components/responses/PageUnknownHost"}
                "500": {$ref: "#/components/responses/PageProblem"}
                "503": {$ref: "#/components/responses/PageProblem"}
          /decisions/{id}/export.xlsx:
            get:
              tags: [pages]
              summary: A decision record as an Excel workbook (a sheet per level, the sources, the totals)
              operationId: decisionWorkbook
              parameters:
                - {$ref: "#/components/parameters/DecisionId"}
                - {$ref: "#/components/parameters/Lang"}
              responses:
                "200":
                  description: the workbook, as an attachment
                  content:
                    application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                      schema: {type: string, format: binary}
                "404": {$ref: "#/components/responses/PageProblem"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "421": {$ref: "#/components/responses/PageUnknownHost"}
                "500": {$ref: "#/components/responses/PageProblem"}
                "503": {$ref: "#/components/responses/PageProblem"}
          /decisions/{id}/entities/{entity}:
            get:
              tags: [pages]
              summary: One unit's explanations in a decision record
              operationId: entityPage
              parameters:
                - {$ref: "#/components/parameters/DecisionId"}
                - name: entity
                  in: path
                  required: true
                  schema: {type: string}
                - {$ref: "#/components/parameters/Lang"}
                - name: full
                  in: query
                  description: 1 for the full tree of conditions; any other value gives the reasons that mattered
                  schema: {type: string, examples: ["1"]}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "404": {$ref: "#/components/responses/PageProblem"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "421": {$ref: "#/components/responses/PageUnknownHost"}
                "422": {$ref: "#/components/responses/PageProblem"}
                "500": {$ref: "#/components/responses/PageProblem"}
                "503": {$ref: "#/components/responses/PageProblem"}
          /decisions/{id}/plans/{plan}:
            get:
              tags: [pages]
              summary: A plan (Rules/plans/) measured on a decision record's kept data and rules, as of its date, with charts
              operationId: planPage
              parameters:
                - {$ref: "#/components/parameters/DecisionId"}
                - name: plan
                  in: path
                  required: true
                  description: The plan's id (plan.id in its file)
                  schema: {type: string}
                  example: thanh-hoa-2022-2025
                - {$ref: "#/components/parameters/Lang"}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "404": {$ref: "#/components/responses/PageProblem"}
                "422": {$ref: "#/components/responses/PageProblem"}
                "503": {$ref: "#/components/responses/PageProblem"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "421": {$ref: "#/components/responses/PageUnknownHost"}
                "500": {$ref: "#/components/responses/PageProblem"}
          /plans:
            get:
              tags: [pages]
              summary: The plans of Rules/plans/, with a form that evaluates a sample and opens its plan page
              operationId: plansPage
              parameters:
                - {$ref: "#/components/parameters/Lang"}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "421": {$ref: "#/components/responses/PageUnknownHost"}
                "500": {$ref: "#/components/responses/PageProblem"}
                "503": {$ref: "#/components/responses/PageProblem"}
          /criteria:
            get:
              tags: [pages]
              summary: The criteria index page
              operationId: criteriaPage
              parameters:
                - {$ref: "#/components/parameters/Lang"}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "421": {$ref: "#/components/responses/PageUnknownHost"}
          /criteria/{id}:
            get:
              tags: [pages]
              summary: A criterion's page (legal text, clauses, parameters, tests)
              operationId: criterionPage
              parameters:
                - {$ref: "#/components/parameters/CriterionId"}
                - {$ref: "#/components/parameters/Lang"}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "404": {$ref: "#/components/responses/PageProblem"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "421": {$ref: "#/components/responses/PageUnknownHost"}
          /playground:
            get:
              tags: [pages]
              summary: The rule playground
              operationId: playgroundPage
              parameters:
                - name: file
                  in: query
                  description: The rule file to edit, relative to the rules folder
                  schema: {type: string}
                - name: criterion
                  in: query
                  description: Edit the file of this criterion
                  schema: {type: string}
                - {$ref: "#/components/parameters/Lang"}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "421": {$ref: "#/components/responses/PageUnknownHost"}
          /status:
            get:
              tags: [pages]
              summary: The status page (the rules served; a failed reload's diagnostics)
              operationId: statusPage
              parameters:
                - {$ref: "#/components/parameters/Lang"}
              responses:
                "200": {$ref: "#/components/responses/Page"}
                "400": {$ref: "#/components/responses/PageProblem"}
                "421": {$ref: "#/components/responses/PageUnknownHost"}
          /assets/playground.js:
            get:
              tags: [pages]
              summary: The rule playground's script (served from here, never inline, so the Content-Security-Policy forbids inline script)
              operationId: playgroundScript
              responses:
                "200":
                  description: The script
                  content:
                    text/javascript:
                      schema: {type: string}
                "400": {$ref: "#/components/responses/PageProblem"}
                "421": {$ref: "#/components/responses/PageUnknownHost"}
        components:
          parameters:
            CriterionId:
              name: id
              in: path
              required: true
              schema: {type: string}
              example: xa-ntm.19.2
            DecisionId:
              name: id
              in: path
              required: true
              description: KQ-year-number-random (KQ-2026-000001-7KQ2XM); records made before say QD-, and those before record version 2 have no random part
              schema: {type: string, pattern: "^(KQ|QD)-[0-9]{4}-[0-9]{6,12}(-[0-9A-HJKMNP-TV-Z]{6})?$"}
              example: KQ-2026-000001-7KQ2XM
            Lang:
              name: lang
              in: query
              description: en for English; any other value (vi, or none) is Vietnamese
              schema: {type: string, examples: [vi, en]}
          responses:
            Problem:
              description: The request was refused; the diagnostics say why
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Diagnostics"}
            Busy:
              description: Every evaluation slot is taken, the server holds as many request bodies as its memory budget allows, or the request ran out of time
              headers:
                Retry-After:
                  description: Seconds to wait
                  schema: {type: integer}
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Diagnostics"}
            Page:
              description: An HTML page
              content:
                text/html:
                  schema: {type: string}
            PageProblem:
              description: An HTML page with the diagnostics
              content:
                text/html:
                  schema: {type: string}
            CrossSite:
              description: A request that changes something (a POST), sent by a browser from another site (request.cross-site)
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Diagnostics"}
            UnknownHost:
              description: A Host the server does not answer for, when it was started with --allowed-host (request.unknown-host)
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Diagnostics"}
            PageCrossSite:
              description: A form posted by a browser from another site (request.cross-site), as an HTML page
              content:
                text/html:
                  schema: {type: string}
            PageUnknownHost:
              description: A Host the server does not answer for, when it was started with --allowed-host, as an HTML page
              content:
                text/html:
                  schema: {type: string}
          schemas:
            LocalizedText:
              type: object
              required: [vi]
              properties:
                vi: {type: string}
                en: {type: string}
            SourceRange:
              type: object
              required: [file, start]
              properties:
                file: {type: string}
                start: {$ref: "#/components/schemas/SourceLocation"}
                end: {$ref: "#/components/schemas/SourceLocation"}
                sheet: {type: string, description: "the sheet of an .xlsx workbook; start is then the cell (line = row, column 1 = A)"}
            SourceLocation:
              type: object
              description: 1-based line and column (columns in Unicode scalars)
              required: [line, column]
              properties:
                line: {type: integer}
                column: {type: integer}
            Diagnostic:
              type: object
              required: [id, severity, message, notes]
              properties:
                id: {type: string, examples: [rules.unknown-input, yaml.alias, request.too-large]}
                severity: {type: string, enum: [error, warning, note]}
                message: {type: string, description: the message in English}
                range: {$ref: "#/components/schemas/SourceRange"}
                notes:
                  type: array
                  items:
                    type: object
                    properties:
                      message: {type: string, description: the note in English}
                      vi: {type: string, description: the note in Vietnamese}
                      range: {$ref: "#/components/schemas/SourceRange"}
                hint: {type: string, description: the hint in English}
                vi:
                  type: object
                  description: the message and the hint in Vietnamese (absent from diagnostics recorded before both languages)
                  required: [message]
                  properties:
                    message: {type: string}
                    hint: {type: string}
            Diagnostics:
              type: object
              required: [version, diagnostics, summary]
              properties:
                version: {type: integer, const: 1}
                diagnostics:
                  type: array
                  items: {$ref: "#/components/schemas/Diagnostic"}
                summary:
                  type: object
                  additionalProperties: {type: integer}
            Citation:
              type: object
              required: [act, status]
              properties:
                act: {type: string}
                part: {type: string}
                status: {type: string, enum: [confirmed, provisional]}
                note: {type: string, description: The note as one text (its English when the rule gives it in both languages)}
                noteText: {$ref: "#/components/schemas/LocalizedText", description: The note per language; only when the rule gives it in both}
                quote: {type: string, description: The words of the act the rule quotes}
                range: {$ref: "#/components/schemas/SourceRange"}
            Period:
              type: object
              required: [from]
              properties:
                from: {type: string, format: date}
                until: {type: string, format: date}
            Outcome:
              type: string
              enum: [pass, fail, unknown, not_applicable]
            Explanation:
              type: object
              description: One node of an explanation tree (Docs/explanations.md)
              required: [id, kind, outcome, title, sentence, values, missing, mattered, children]
              properties:
                id: {type: string}
                kind: {type: string, enum: [criterion, group, check]}
                combinator: {type: string}
                outcome: {$ref: "#/components/schemas/Outcome"}
                title: {$ref: "#/components/schemas/LocalizedText"}
                source: {$ref: "#/components/schemas/Citation"}
                expression: {type: string}
                values: {type: array, items: {type: object}}
                requirement: {type: object}
                sentence: {$ref: "#/components/schemas/LocalizedText"}
                missing: {type: array, items: {type: object}}
                mattered: {type: boolean}
                children:
                  type: array
                  items: {$ref: "#/components/schemas/Explanation"}
            EvaluationOutput:
              type: object
              required: [version, asOf, dataset, synthetic, summary, entities]
              properties:
                version: {type: integer, const: 1}
                asOf: {type: string, format: date}
                dataset: {type: string}
                synthetic: {type: boolean}
                notes:
                  type: array
                  description: what reading the dataset converted on the way (a CSV table read as Windows-1258); absent when nothing was
                  items: {$ref: "#/components/schemas/Diagnostic"}
                summary:
                  type: object
                  additionalProperties: {type: integer}
                entities:
                  type: array
                  items:
                    type: object
                    required: [id, name, level, verdicts]
                    properties:
                      id: {type: string}
                      name: {type: string}
                      level: {type: string, enum: [province, district, commune, hamlet, unit]}
                      parent: {type: string}
                      verdicts:
                        type: array
                        items:
                          type: object
                          required: [criterion, outcome, provisional, explanation]
                          properties:
                            criterion: {type: string}
                            outcome: {$ref: "#/components/schemas/Outcome"}
                            provisional: {type: boolean}
                            explanation: {$ref: "#/components/schemas/Explanation"}
            DecisionRecord:
              type: object
              required: [version, id, recordedAt, asOf, criteria, rulesHash, inputHash, inputName, engineVersion, contentHash, explanations, inputKept, evaluation]
              properties:
                version: {type: integer, enum: [1, 2], description: 2 for records with brief explanations and a kept input; 1 for older records with full trees}
                id: {type: string, pattern: "^(KQ|QD)-[0-9]{4}-[0-9]{6,12}(-[0-9A-HJKMNP-TV-Z]{6})?$"}
                recordedAt: {type: string, format: date-time}
                asOf: {type: string, format: date}
                criteria: {type: array, items: {type: string}}
                rulesHash: {type: string, description: SHA-256 of the sorted rule files' paths and bytes}
                inputHash: {type: string, description: SHA-256 of the input as received}
                inputName: {type: string}
                engineVersion: {type: string}
                contentHash: {type: string, description: SHA-256 of the stored evaluation JSON}
                explanations: {type: string, enum: [brief, full], description: "brief for version 2 (each verdict's criterion node and the conditions that decided it), full for version 1"}
                inputKept: {type: boolean, description: whether a copy of the input is kept to rebuild full trees}
                evaluation: {$ref: "#/components/schemas/EvaluationOutput"}
            DecisionEntity:
              type: object
              required: [version, decision, asOf, explanations, rebuilt, entity]
              properties:
                version: {type: integer, enum: [1, 2]}
                decision: {type: string}
                asOf: {type: string, format: date}
                explanations: {type: string, enum: [brief, short, full], description: "short or full when the trees were rebuilt now; otherwise what the record holds (brief, or full for version 1)"}
                rebuilt: {type: boolean, description: whether the trees were evaluated again now}
                entity: {$ref: "#/components/schemas/EvaluationOutput/properties/entities/items"}
            DecisionList:
              type: object
              required: [version, decisions]
              properties:
                version: {type: integer, const: 1}
                decisions:
                  type: array
                  items:
                    type: object
                    required: [id, recordedAt, asOf, inputName, summary]
                    properties:
                      id: {type: string}
                      recordedAt: {type: string, format: date-time}
                      asOf: {type: string, format: date}
                      inputName: {type: string}
                      summary: {type: object, additionalProperties: {type: integer}}
            RuleEdit:
              type: object
              description: |
                A change set: the one file of file and text, and the files of files. Each path is relative
                to the rules folder, of ASCII letters, digits, '-', '_', '.' and '/', ending in .yaml or .yml.
              properties:
                file: {type: string, description: "The rule file's path under the rules folder, e.g. xa-ntm/19.2.yaml"}
                text: {type: string, description: The edited text (the served file when absent)}
                files:
                  type: array
                  maxItems: 64
                  description: More files of the change set (inputs.yaml, parameters.yaml, rule tests, new files)
                  items: {$ref: "#/components/schemas/EditedFile"}
                dataset: {type: string, description: "For /v1/diff: a sample's id"}
                upload: {$ref: "#/components/schemas/UploadedDataset"}
                asOf: {type: string, format: date, description: "For /v1/diff: the evaluation date"}
            EditedFile:
              type: object
              required: [file]
              properties:
                file: {type: string, description: "Its path under the rules folder, e.g. inputs.yaml or xa-ntm/tests/19.2.yaml"}
                text: {type: string, description: Its new text (the served file when absent; required for a new file)}
                removed: {type: boolean, description: "true: the change removes the served file (give no text)"}
            UploadedDataset:
              type: object
              description: "For /v1/diff: a dataset of one's own instead of a sample"
              required: [name, text]
              properties:
                name: {type: string, description: "Its file name, ending in .yaml, .yml or .json"}
                text: {type: string, description: The YAML or JSON document}
            RuleFile:
              type: object
              required: [version, file, text]
              properties:
                version: {type: integer, const: 1}
                file: {type: string}
                text: {type: string}
            TestReport:
              type: object
              required: [version, passed, failed, cases, coverage, coveragePercent]
              properties:
                version: {type: integer, const: 1}
                passed: {type: integer}
                failed: {type: integer}
                coveragePercent: {type: number}
                coverage: {type: object}
                cases:
                  type: array
                  items:
                    type: object
                    required: [name, file, line, asOf, passed, failures]
                    properties:
                      name: {type: string}
                      file: {type: string}
                      line: {type: integer}
                      asOf:
                        description: YYYY-MM-DD; empty for a test file that could not be read
                        anyOf:
                          - {type: string, format: date}
                          - {type: string, const: ""}
                      passed: {type: boolean}
                      failures: {type: array, items: {type: string}}
                      diagnostics:
                        description: For a test file that could not be read, its errors
                        type: array
                        items: {$ref: "#/components/schemas/Diagnostic"}
            VerdictDiff:
              type: object
              required: [version, changes, flips]
              properties:
                version: {type: integer, const: 1}
                changes:
                  type: array
                  items:
                    type: object
                    properties:
                      kind: {type: string}
                      subject: {type: string}
                      affects: {type: array, items: {type: string}}
                      text: {$ref: "#/components/schemas/LocalizedText"}
                flips:
                  type: array
                  items:
                    type: object
                    required: [entity, name, criterion, before, after, changedConditions]
                    properties:
                      entity: {type: string}
                      name: {type: string}
                      criterion: {type: string}
                      before: {$ref: "#/components/schemas/Outcome"}
                      after: {$ref: "#/components/schemas/Outcome"}
                      changedConditions: {type: array, items: {type: string}}
                      cause: {type: string}
                      beforeExplanation: {$ref: "#/components/schemas/Explanation"}
                      afterExplanation: {$ref: "#/components/schemas/Explanation"}
            CriteriaList:
              type: object
              required: [version, rulesHash, criteria]
              properties:
                version: {type: integer, const: 1}
                rulesHash: {type: string}
                criteria:
                  type: array
                  items:
                    type: object
                    required: [id, title, level, inForce, source, provisional, tests]
                    properties:
                      id: {type: string}
                      title: {$ref: "#/components/schemas/LocalizedText"}
                      level: {type: string}
                      inForce: {type: array, items: {$ref: "#/components/schemas/Period"}}
                      source: {$ref: "#/components/schemas/Citation"}
                      provisional: {type: boolean}
                      tests: {type: integer}
            CriterionDetail:
              type: object
              required: [version, id, title, level, versions, parameters, inputs, dependencies, usedBy, tests, markdown]
              properties:
                version: {type: integer, const: 1}
                id: {type: string}
                title: {$ref: "#/components/schemas/LocalizedText"}
                level: {type: string}
                description: {$ref: "#/components/schemas/LocalizedText"}
                versions:
                  type: array
                  items:
                    type: object
                    properties:
                      inForce: {$ref: "#/components/schemas/Period"}
                      source: {$ref: "#/components/schemas/Citation"}
                      file: {type: string}
                      clauses:
                        type: array
                        items:
                          type: object
                          properties:
                            path: {type: string}
                            title: {$ref: "#/components/schemas/LocalizedText"}
                            check: {type: string}
                            group: {type: string}
                            source: {$ref: "#/components/schemas/Citation"}
                            inForce: {$ref: "#/components/schemas/Period"}
                parameters: {type: array, items: {type: object}}
                inputs: {type: array, items: {type: string}}
                dependencies: {type: array, items: {type: string}}
                usedBy: {type: array, items: {type: string}}
                tests: {type: array, items: {type: object}}
                markdown: {type: string, description: "The generated criterion page (criteria docs), Markdown"}
            Samples:
              type: object
              required: [version, samples]
              properties:
                version: {type: integer, const: 1}
                samples:
                  type: array
                  items:
                    type: object
                    properties:
                      id: {type: string}
                      file: {type: string}
            Status:
              type: object
              required: [version, engineVersion, rules, rulesHash, loadedAt, criteria, ruleFiles, tests, limits]
              properties:
                version: {type: integer, const: 1}
                engineVersion: {type: string}
                rules: {type: string}
                rulesHash: {type: string}
                loadedAt: {type: string, format: date-time}
                criteria: {type: array, items: {type: string}}
                ruleFiles: {type: array, items: {type: string}}
                tests: {type: integer}
                reloadFailure:
                  type: object
                  properties:
                    at: {type: string, format: date-time}
                    diagnostics:
                      type: array
                      items: {$ref: "#/components/schemas/Diagnostic"}
                limits:
                  type: object
                  properties:
                    maxBodyBytes: {type: integer}
                    wallClockSeconds: {type: integer}
                    maxConcurrentEvaluations: {type: integer}
                    maxRecordBytes: {type: integer, description: "the largest decision record (413 above, nothing written)"}
                    engine: {type: object}

        """
}
