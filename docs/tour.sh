#!/usr/bin/env bash
# The README's 5-minute tour as one script (needs curl and jq, and `npm start` running).
# A test runs it against a started server, so the README's commands keep working.
set -euo pipefail
S=${SANDBOX_URL:-http://localhost:4010}
# With an admin token (a container, a shared host) the control calls send it.
ADMIN=()
if [ -n "${SANDBOX_ADMIN_TOKEN:-}" ]; then ADMIN=(-H "X-Sandbox-Admin-Token: $SANDBOX_ADMIN_TOKEN"); fi
json() { curl -sS -H 'content-type: application/json' ${ADMIN[@]+"${ADMIN[@]}"} "$@"; }

# 1. A client (a PowerOffice Go company) with its own clock, frozen at 08:00 on 5 January 2026.
CLIENT=$(json -X POST $S/_sandbox/clients -d '{"name":"Demo AS","startDate":"2026-01-05"}')
C=$(echo "$CLIENT" | jq -r .id)
APP=$(echo "$CLIENT" | jq -r '.integrations[0].applicationKey')
KEY=$(echo "$CLIENT" | jq -r '.integrations[0].clientKey')
SUB=$(echo "$CLIENT" | jq -r '.integrations[0].subscriptionKey')
# The four URLs an agency sets, as in production (v1 on api.poweroffice.net, v2 on goapi.poweroffice.net/v2).
V1=$(echo "$CLIENT" | jq -r .endpoints.v1.baseUrl)
V1_TOKEN_URL=$(echo "$CLIENT" | jq -r .endpoints.v1.tokenUrl)
V2=$(echo "$CLIENT" | jq -r .endpoints.v2.baseUrl)
V2_TOKEN_URL=$(echo "$CLIENT" | jq -r .endpoints.v2.tokenUrl)

# 2. A customer and an invoice due today.
CUST=$(json -X POST $S/_sandbox/clients/$C/customers -d '{"name":"Ola Nordmann AS","organizationNumber":"974760673","mailAddress":{"addressLine1":"Storgata 1","zipCode":"0155","city":"Oslo","countryCode":"NO"}}' | jq .id)
INV=$(json -X POST $S/_sandbox/clients/$C/invoices -d "{\"customerId\":$CUST,\"invoiceDate\":\"2025-12-22\",\"dueDate\":\"2026-01-05\",\"amount\":1250}" | jq -r .id)

# 3. Fourteen days later it is a collection draft (no reminder steps enabled: due date + 14 days).
json -X POST $S/_sandbox/clients/$C/clock/advance -d '{"days":14}' | jq -c '[.today, [.events[].type]]'
json $S/_sandbox/clients/$C/invoices/$INV | jq -c '{status, openAmount}'
json $S/_sandbox/clients/$C/invoices/$INV/explain | jq -r .summary

# 4. The ERP user approves it; the agency integration sees it.
json -X POST $S/_sandbox/clients/$C/collection/approve -d "{\"invoiceIds\":[\"$INV\"]}" | jq -c .changed
TOKEN=$(curl -sS -X POST $V1_TOKEN_URL -u "$APP:$KEY" -d grant_type=client_credentials | jq -r .access_token)
AUTH=(-H "Authorization: Bearer $TOKEN")
curl -sS "${AUTH[@]}" $V1/DebtCollection/Invoices/AvailableInvoices | jq -c '{count, first: .data[0] | {invoiceNo, remainingAmount}}'

# v2 has its own token (with the subscription key) and its own base URL.
V2_TOKEN=$(curl -sS -X POST $V2_TOKEN_URL -u "$APP:$KEY" -H "Ocp-Apim-Subscription-Key: $SUB" -d grant_type=client_credentials | jq -r .access_token)
curl -sS -H "Authorization: Bearer $V2_TOKEN" -H "Ocp-Apim-Subscription-Key: $SUB" $V2/Customers | jq -c '[.[] | {Number, Name}]'

# 5. The agency opens a case and adds the invoice.
CASE=$(json "${AUTH[@]}" -X POST $V1/DebtCollection -d '{"code":"K-1001"}' | jq -r .data.id)
json "${AUTH[@]}" -X POST $V1/DebtCollection/AddInvoicesToCase -d "{\"caseId\":\"$CASE\",\"invoiceIds\":[\"$INV\"]}" | jq -c '.data | {code, status, invoices: [.invoices[].invoiceNo]}'

# 6. The debtor pays 400 directly to the client; the agency sees the match.
json -X POST $S/_sandbox/clients/$C/payments -d "{\"invoiceId\":\"$INV\",\"amount\":400}" | jq -c '{voucherNo, type}'
curl -sS "${AUTH[@]}" $V1/DebtCollection/MatchedItems/$INV | jq -c '[.data[] | {voucherType, amount, isWriteOff}]'

# 7. The user writes off the rest; the agency sees isWriteOff and keeps collecting.
json -X POST $S/_sandbox/clients/$C/write-offs -d "{\"invoiceIds\":[\"$INV\"]}" | jq -c '{voucherNo, type}'
curl -sS "${AUTH[@]}" "$V1/DebtCollection/GetAllMatchedItems?fromDateTime=2026-01-01" | jq -c '[.data[].matchedItems[] | {amount, isWriteOff}]'

# 8. The agency closes the case; it is archived.
json "${AUTH[@]}" -X POST $V1/DebtCollection/UpdateStatus -d "{\"caseId\":\"$CASE\",\"statusText\":\"Saken er avsluttet\",\"isCaseClosed\":true,\"updatedBalanceAgency\":0}" | jq -c '.data | {code, status}'
json $S/_sandbox/clients/$C/collection | jq -c '{open: [.open[].code], archived: [.archived[] | {code, status, balanceAgency}]}'
