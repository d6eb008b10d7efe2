// The Relay operations of ../relay.mjs, for relay-compiler (run by
// ../../clients_test.go with schemaConfig nodeInterfaceIdField "nodeId" and
// nodeInterfaceIdVariableName "nodeId": odoogql's Node interface and node
// root field). This file is never run: the compiler reads its graphql`…`
// literals, and relay.mjs loads the artifacts it writes. Relay names each
// operation after its module (Odoo).

// The README's first tour query. The compiler adds nodeId to every selection
// on a Node type: Relay's store keeps records by it.
graphql`
  query OdooCompaniesQuery {
    resPartners(where: {is_company: {eq: true}}, orderBy: [{name: ASC}], limit: 5) {
      totalCount
      nodes { id name country_id { code } child_ids { name } }
    }
  }
`;

// The README's second tour query.
graphql`
  query OdooSaleOrderQuery {
    saleOrder(id: "1") {
      name state date_order amount_total
      partner_id { name country_id { name } }
      order_line(orderBy: [{price_subtotal: DESC}], limit: 3) { name product_uom_qty price_subtotal product_id { default_code } }
    }
  }
`;

// A refetchable fragment on a Node type: the compiler writes
// OdooPartnerRefetchQuery, which refetches the record through node(nodeId:).
// Its two relations point to records of two unexposed models with the same
// id (res.partner 10: account.payment.term 4 and stock.location 4).
graphql`
  fragment OdooPartner_partner on ResPartner @refetchable(queryName: "OdooPartnerRefetchQuery") {
    id
    name
    email
    property_payment_term_id { id display_name }
    property_stock_supplier { id display_name }
  }
`;

graphql`
  query OdooPartnerQuery($id: ID!) {
    resPartner(id: $id) { ...OdooPartner_partner }
  }
`;

// A @connection pagination fragment on resPartners: the compiler writes
// OdooPartnersPaginationQuery, and Relay's connection handler appends each
// page fetched with first/after to the same connection in the store.
graphql`
  fragment OdooPartners_query on Query
  @refetchable(queryName: "OdooPartnersPaginationQuery")
  @argumentDefinitions(first: {type: "Int", defaultValue: 3}, after: {type: "String"}) {
    resPartners(orderBy: [{id: ASC}], first: $first, after: $after) @connection(key: "OdooPartners_resPartners") {
      totalCount
      edges { node { id name } }
    }
  }
`;

graphql`
  query OdooPartnersQuery {
    ...OdooPartners_query
  }
`;

// The same list as one limit/offset page, to compare the merged pages with.
graphql`
  query OdooPartnersPageQuery($limit: Int, $offset: Int) {
    resPartners(orderBy: [{id: ASC}], limit: $limit, offset: $offset) { nodes { id name } }
  }
`;

graphql`
  mutation OdooCreateContactMutation($input: ResPartnerCreateInput!) {
    createResPartner(input: $input) { id name email parent_id { name } create_uid { name } }
  }
`;

graphql`
  mutation OdooRenameContactMutation($ids: [ID!]!, $input: ResPartnerUpdateInput!) {
    updateResPartner(ids: $ids, input: $input) { id name }
  }
`;
