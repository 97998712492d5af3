/** Sample data for test customers: a postal address the sandbox accepts (a customer without one gets no letters). */
export const OSLO_ADDRESS = { addressLine1: 'Storgata 1', zipCode: '0155', city: 'Oslo', countryCode: 'NO' };
