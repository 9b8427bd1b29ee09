#!/usr/bin/env bash
# Health ID for people without an Aadhaar-linked phone (issue #18), each route once against a running host: the
# consent text, enrolment by driving licence (a mismatch, a provisional ABHA, a verifier approves it), Aadhaar
# biometrics at an assisted counter, an offline camp batch (duplicates written differently, a possible duplicate, the
# idempotent replay), a worker linking a camp-enrolled person's mobile so they can log in, email verification.
# Each step prints the answer (abridged with jq) and checks it; the first surprise stops the script (exit 1).
#
#   local-emulators/sandbox.sh up && local-emulators/sandbox.sh host
#   local-emulators/health-id-walkthrough.sh          # B=http://127.0.0.1:<port>/api aims it at another host
#
# It can run again on the same sandbox: mobiles, licences, PIN codes and emails are new on every run (the biometric
# step enrols the same sandbox identity, so a second run answers isNew false). Needs curl and jq.
set -euo pipefail
B="${B:-http://localhost:${NDHM_HOST_PORT:-7071}/api}"
EXAMPLES="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/functions/Ndhm.Triggers/OpenApi/Examples"

step() { printf '\n== %s\n' "$*"; }
check() {  # check '<jq condition>' "$ANSWER": prints the condition, or the answer and exits when it does not hold
  if jq -e "$1" >/dev/null 2>&1 <<<"$2"; then echo "  ok: $1"; else echo "FAILED: $1" >&2; echo "$2" >&2; exit 1; fi
}
post() { curl -s -XPOST "$B/$1" -H 'content-type: application/json' "${@:3}" -d "$2"; }
digits() { local s=""; for _ in $(seq "$1"); do s+=$((RANDOM % 10)); done; echo "$s"; }
outbox_otp() { curl -s "$B/sandbox/$1" | jq -r --arg t "$2" '.messages[] | select(.txnId == $t) | .otp'; }
CONSENT='{"code":"abha-enrollment","version":"1.4","language":"hi"}'

step "1. The consent text, in Hindi; a language without a text is refused"
A=$(curl -s "$B/v3/enrollment/consent?language=hi"); jq -c '{code, version, language, title, languages}' <<<"$A"
check '.version == "1.4" and .language == "hi" and (.text | length) > 0' "$A"
A=$(curl -s "$B/v3/enrollment/consent?language=ta"); check '.code == "CONSENT_LANGUAGE_UNKNOWN"' "$A"

step "2. A verified facility and its health worker (sandbox tokens)"
ADMIN=$(post sandbox/tokens '{"subject":"admin-1","roles":["PLATFORM_ADMIN"]}' | jq -r .accessToken)
F=$(jq --arg n "Camp PHC $(digits 4)" '.request | .facilityName = $n' "$EXAMPLES/RegisterFacility.json" | curl -s -XPOST "$B/v1/facilities" -H "authorization: Bearer $ADMIN" \
  -H 'content-type: application/json' -d @- | jq -r .facilityId)                # registered by an admin: verified at once
W=$(post sandbox/tokens "{\"subject\":\"worker-1\",\"roles\":[\"HEALTH_WORKER\"],\"facilityId\":\"$F\"}" | jq -r .accessToken)
echo "  facility $F"; check 'length > 100' "\"$W\""

step "3. Enrolment by driving licence: mobile OTP, then the licence (a mismatch spends no OTP attempt)"
M=8$(digits 9)
TXN=$(post v3/enrollment/request/otp "{\"scope\":[\"abha-enrol\"],\"loginHint\":\"mobile\",\"loginId\":\"$M\"}" | jq -r .txnId)
OTP=$(outbox_otp "otp-outbox?mobile=$M" "$TXN")
PHOTO=iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==  # any JPEG/PNG <= 200 KiB
licence() {  # the byDocument body for licence number $1 (sandbox registry: serial 1xxxxxx verified, 8xxxxxx mismatch, else pending)
  jq -nc --arg txn "$TXN" --arg otp "$OTP" --arg m "$M" --arg id "$1" --arg p "$PHOTO" --argjson c "$CONSENT" \
    '{authData: {authMethods: ["otp"], otp: {txnId: $txn, otpValue: $otp, mobile: $m}}, consent: $c,
      documentType: "DRIVING_LICENCE", documentId: $id, firstName: "Sunita", lastName: "Patil", dob: "1988-06-15",
      gender: "F", frontSidePhoto: $p, backSidePhoto: $p}'
}
A=$(post v3/enrollment/enrol/byDocument "$(licence "MH1220158$(digits 6)")"); check '.code == "DOCUMENT_MISMATCH"' "$A"
A=$(post v3/enrollment/enrol/byDocument "$(licence "BR572010$((RANDOM % 6 + 2))$(digits 6)")")
jq -c '{message, ABHAProfile: (.ABHAProfile | {ABHANumber, enrolmentState, documentVerification})}' <<<"$A"
check '.ABHAProfile.enrolmentState == "PROVISIONAL" and .ABHAProfile.documentVerification.state == "PENDING"' "$A"
N=$(jq -r .ABHAProfile.ABHANumber <<<"$A")

step "4. A verifier at the facility works through the queue and approves"
A=$(curl -s "$B/v3/enrollment/document-reviews?max=100" -H "authorization: Bearer $W"); check "[.reviews[].ABHANumber] | index(\"$N\")" "$A"
A=$(curl -s "$B/v3/enrollment/document-reviews/$N" -H "authorization: Bearer $W"); jq -c 'del(.frontSidePhoto, .backSidePhoto, .selfie)' <<<"$A"
check '.frontSidePhoto | length > 0' "$A"
A=$(post "v3/enrollment/document-reviews/$N/decision" '{"decision":"APPROVE","reason":"Photo matches the person"}' -H "authorization: Bearer $W")
check '.enrolmentState == "VERIFIED" and .documentVerification.state == "VERIFIED"' "$A"

step "5. Aadhaar biometrics at an assisted counter (the sandbox's UIDAI matches the PID block SANDBOX-PID:MATCH)"
A=$(post v3/assisted/enrollment/enrol/byBiometric "{\"authData\":{\"authMethods\":[\"bio\"],\"bio\":{\"aadhaar\":\"999900000059\",
  \"bioType\":\"IRIS\",\"pid\":\"$(printf SANDBOX-PID:MATCH | base64)\"}},\"consent\":$CONSENT}" -H "authorization: Bearer $W")
jq -c '{message, isNew, ABHAProfile: (.ABHAProfile | {ABHANumber, firstName, kycVerified})}' <<<"$A"
check '.ABHAProfile.kycVerified == true and (.tokens.token | length) > 0' "$A"
T=$(jq -r .tokens.token <<<"$A")                                               # Kiran's PATIENT token (a sandbox identity no integration test signs in as)

step "6. An offline camp batch (r-001 Sita Devi; r-002 unattested; r-003 and r-004 Sita Devi written differently; r-005 \"S. Devi\")"
PIN=85$(digits 4); NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ); BATCH=camp-$(date -u +%Y%m%d%H%M%S)-$(digits 4); CAMP_JSON=$(mktemp)
jq --arg t "$NOW" --arg b "$BATCH" --arg pin "$PIN" \
  '.request | .batchId = $b | .records[].attestation.collectedAt = $t | .records[].pinCode = $pin
   | .records += [.records[0] | .recordId = "r-003" | .firstName = " SITA " | .lastName = "devi."]
   | .records += [.records[0] | .recordId = "r-004" | .firstName = "Smt. Seeta" | .lastName = "Devee" | del(.dob) | .yearOfBirth = 1988]
   | .records += [.records[0] | .recordId = "r-005" | .firstName = "S."]' \
  "$EXAMPLES/UploadDemographicBatch.json" > "$CAMP_JSON"
A=$(post v3/assisted/enrollment/demographic/batches @"$CAMP_JSON" -H "authorization: Bearer $W")
jq -c '{batchId, accepted, rejected, results: [.results[] | {recordId, status, reasonCode}]}' <<<"$A"
check '[.results[] | .reasonCode // .status] == ["ACCEPTED", "ATTESTATION_MISSING", "DUPLICATE_IN_BATCH", "DUPLICATE_IN_BATCH",
  "POSSIBLE_DUPLICATE"] and ([.results[2:][] | has("abhaNumber")] | any | not)' "$A"
CAMP=$(jq -r '.results[0].abhaNumber' <<<"$A")                                 # Sita Devi's new ABHA
A=$(post v3/assisted/enrollment/demographic/batches @"$CAMP_JSON" -H "authorization: Bearer $W")
check ".replayed == true and .results[0].abhaNumber == \"$CAMP\"" "$A"

step "7. Sita has no phone of her own on record: the worker links her mobile (OTP read out, attested); she logs in with it"
M2=7$(digits 9)
TXN=$(post v3/assisted/profile/mobile/request/otp "{\"abhaNumber\":\"$CAMP\",\"mobile\":\"$M2\"}" -H "authorization: Bearer $W" | jq -r .txnId)
OTP=$(outbox_otp "otp-outbox?mobile=$M2" "$TXN")
A=$(post v3/assisted/profile/mobile/verify "{\"abhaNumber\":\"$CAMP\",\"authData\":{\"authMethods\":[\"otp\"],\"otp\":{\"txnId\":\"$TXN\",
  \"otpValue\":\"$OTP\",\"mobile\":\"$M2\"}},\"attestation\":{\"attested\":true,\"method\":\"KNOWN_TO_WORKER\"}}" -H "authorization: Bearer $W")
jq -c '{ABHANumber, mobile, kycVerified}' <<<"$A"; check ".mobile == \"$M2\"" "$A"
TXN=$(post v3/profile/login/request/otp "{\"scope\":[\"abha-login\",\"mobile-verify\"],\"loginHint\":\"abha-number\",\"loginId\":\"$CAMP\",
  \"otpSystem\":\"abdm\"}" | jq -r .txnId)
OTP=$(outbox_otp "otp-outbox?mobile=$M2" "$TXN")
A=$(post v3/profile/login/verify "{\"authData\":{\"authMethods\":[\"otp\"],\"otp\":{\"txnId\":\"$TXN\",\"otpValue\":\"$OTP\"}}}")
jq -c '{message, ABHANumber: .ABHAProfile.ABHANumber}' <<<"$A"; check ".ABHAProfile.ABHANumber == \"$CAMP\" and (.tokens.token | length) > 0" "$A"

step "8. Email verification for the profile (the sandbox's email outbox stands in for the mail)"
E=ravi.$(digits 6)@example.org
TXN=$(post v3/profile/account/email/request/otp "{\"email\":\"$E\"}" -H "authorization: Bearer $T" | jq -r .txnId)
OTP=$(outbox_otp "email-outbox?email=$E" "$TXN")
A=$(post v3/profile/account/email/verify "{\"email\":\"$E\",\"authData\":{\"authMethods\":[\"otp\"],\"otp\":{\"txnId\":\"$TXN\",
  \"otpValue\":\"$OTP\"}}}" -H "authorization: Bearer $T"); jq -c '{email, emailVerified}' <<<"$A"
check ".email == \"$E\" and .emailVerified == true" "$A"

printf '\nEvery Health ID step of issue #18 answered as expected.\n'
